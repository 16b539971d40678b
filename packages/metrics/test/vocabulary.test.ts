import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { OperationName, RedactionPolicy } from '@jts/core';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { MetricsHandlerOptions, TradingMetrics, TradingMetricsOptions } from '../src/index.js';

const readme = readFileSync(fileURLToPath(new URL('../README.md', import.meta.url)), 'utf8');

// Exhaustive by type: an option added to the interfaces without a line here does not compile.
const METRICS_OPTIONS: Record<keyof TradingMetricsOptions, string> = {
  registry: '-',
  maxSeriesPerMetric: 'JTS_METRICS_MAX_SERIES',
  maxLabelValueLength: 'JTS_METRICS_MAX_LABEL_LENGTH',
  strict: 'JTS_METRICS_STRICT',
  exemplars: 'JTS_METRICS_EXEMPLARS',
  operations: 'JTS_METRICS_OPERATIONS',
  defaultMetrics: 'JTS_METRICS_DEFAULT_METRICS',
  defaultMetricsPrefix: 'JTS_METRICS_DEFAULT_PREFIX',
  redaction: '-',
  env: '-',
};
const HANDLER_OPTIONS: Record<keyof MetricsHandlerOptions, string> = {
  registry: '-',
  auth: '`JTS_METRICS_BEARER_TOKEN` or `JTS_METRICS_BASIC_AUTH`',
  gzip: '-',
  openMetrics: '-',
  cluster: '-',
  env: '-',
};

/** The rows of the README table under `heading`, by option name: the env var cell. */
function tableRows(heading: string): Map<string, string> {
  const section = readme.slice(readme.indexOf(heading));
  const rows = new Map<string, string>();
  for (const line of section.split('\n').slice(1)) {
    if (line.startsWith('## ')) break;
    const cells = line.split(' | ');
    const name = /^\| `(\w+)`/.exec(line)?.[1];
    if (name !== undefined) rows.set(name, cells[1]!.replaceAll('`', ''));
  }
  return rows;
}

describe('the one vocabulary (docs/reference/options.md)', () => {
  it('types the shared options and the lifecycle as the table says', () => {
    expectTypeOf<TradingMetricsOptions['redaction']>().toEqualTypeOf<RedactionPolicy | false | undefined>();
    expectTypeOf<TradingMetricsOptions['operations']>().toEqualTypeOf<readonly OperationName[] | false | undefined>();
    expectTypeOf<TradingMetricsOptions['env']>().toEqualTypeOf<NodeJS.ProcessEnv | undefined>();
    expectTypeOf<MetricsHandlerOptions['env']>().toEqualTypeOf<NodeJS.ProcessEnv | undefined>();
    expectTypeOf<TradingMetrics['close']>().toEqualTypeOf<() => Promise<void>>();
    expectTypeOf<
      Extract<keyof TradingMetricsOptions, 'redactionPolicy' | 'subscribeOperations' | 'environment'>
    >().toBeNever();
  });

  it('lists every option of createTradingMetrics and metricsHandler in the README, with its variable', () => {
    for (const [heading, options] of [
      ['## Options of `createTradingMetrics', METRICS_OPTIONS],
      ['## Options of `metricsHandler', HANDLER_OPTIONS],
    ] as const) {
      const rows = tableRows(heading);
      expect([...rows.keys()].sort(), heading).toEqual(Object.keys(options).sort());
      for (const [name, env] of Object.entries(options))
        expect(rows.get(name), `${heading} ${name}`).toBe(env.replaceAll('`', ''));
    }
  });
});
