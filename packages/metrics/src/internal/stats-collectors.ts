import { reportDiagnostic } from '@jts/core';
import { METRIC_CATALOG } from '../catalog.js';
import type { SeriesFamily } from './series-family.js';

/** A stats field bound to a catalog metric: `path` is dotted (`shipping.sent`) or `*` for the whole object. */
export interface StatsBinding {
  readonly metric: string;
  readonly path: string;
}

/**
 * The catalog's bindings for one stats source, from entries whose `source` reads
 * `stats:<source> <path>` (for example `stats:log shipping.sent`).
 *
 * @internal
 */
export function catalogStatsBindings(source: string): StatsBinding[] {
  // `@jts/compliance` is the package, `audit` the object whose stats it exposes: accept both.
  if (source === 'compliance') source = 'audit';
  const bindings: StatsBinding[] = [];
  for (const entry of METRIC_CATALOG) {
    const match = /^stats:(\S+) (\S+)/.exec(entry.source);
    if (match !== null && match[1] === source) bindings.push({ metric: entry.name, path: match[2] === 'correlationIdStats()' ? '*' : match[2]! });
  }
  return bindings;
}

function pick(stats: unknown, path: string): unknown {
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
export function createStatsUpdater(family: SeriesFamily, path: string, read: () => unknown, source: string): () => void {
  const labelKey = family.labelKeys[0];
  return () => {
    let stats: unknown;
    try {
      stats = read();
    } catch (error) {
      reportDiagnostic({ source: 'metrics', event: 'stats_read_failed', message: `stats reader of ${source} threw`, error });
      return;
    }
    const value = pick(stats, path);
    if (typeof value === 'number' && Number.isFinite(value) && labelKey === undefined) {
      family.resolve(undefined).value = value;
    } else if (value !== null && typeof value === 'object' && labelKey !== undefined) {
      for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
        if (typeof item === 'number' && Number.isFinite(item)) family.resolve({ [labelKey]: key }).value = item;
      }
    }
  };
}
