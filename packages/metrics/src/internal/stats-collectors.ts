import { reportDiagnostic } from '@jts/core';
import { METRIC_CATALOG } from '../catalog.js';
import type { MetricDefinition } from '../catalog-types.js';
import type { StatsBinding, StatsSourceName } from '../stats-sources.js';
import type { SeriesFamily } from './series-family.js';

/** A catalog metric fed by a stats field: `path` is dotted (`spans.started`) or `*` for the whole object. */
export interface StatsFeed {
  readonly metric: string;
  readonly path: string;
}

/**
 * The dotted path of a binding and whether it reads an object of numbers.
 *
 * @internal
 */
export function bindingPath(binding: StatsBinding): { readonly path: string; readonly byKey: boolean } {
  return 'byKey' in binding ? { path: binding.byKey, byKey: true } : { path: binding.field, byKey: false };
}

/**
 * The catalog's feeds for one stats source, from the entries whose `stats` binding names it.
 *
 * @internal
 */
export function catalogStatsFeeds(source: StatsSourceName): StatsFeed[] {
  const feeds: StatsFeed[] = [];
  for (const entry of METRIC_CATALOG as readonly MetricDefinition[]) {
    if (entry.stats?.from === source) feeds.push({ metric: entry.name, path: bindingPath(entry.stats).path });
  }
  return feeds;
}

/**
 * Reads a dotted path of a stats object (`*` is the object itself); undefined when a step is missing.
 *
 * @internal
 */
export function readStatsPath(stats: unknown, path: string): unknown {
  if (path === '*') return stats;
  let value = stats;
  for (const part of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/**
 * Builds the scrape-time updater of one family from a stats reader: a number sets the unlabelled
 * series; an object of numbers sets one series per key (the family's single label).
 *
 * @internal
 */
export function createStatsUpdater(
  family: SeriesFamily,
  path: string,
  read: () => unknown,
  source: string,
): () => void {
  const labelKey = family.labelKeys[0];
  return () => {
    let stats: unknown;
    try {
      stats = read();
    } catch (error) {
      reportDiagnostic({
        source: 'metrics',
        event: 'stats_read_failed',
        message: `stats reader of ${source} threw`,
        error,
      });
      return;
    }
    const value = readStatsPath(stats, path);
    if (typeof value === 'number' && Number.isFinite(value) && labelKey === undefined) {
      family.resolve(undefined).value = value;
    } else if (value !== null && typeof value === 'object' && labelKey !== undefined) {
      for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
        if (typeof item === 'number' && Number.isFinite(item)) family.resolve({ [labelKey]: key }).value = item;
      }
    }
  };
}
