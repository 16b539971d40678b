/**
 * The one vocabulary of docs/reference/options.md, checked across every package's exported option
 * types (type-level, so `tsc` fails on a drift; and at run time over the key names, so a synonym a
 * package reintroduces fails here too).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { OperationName, RedactionPolicy } from '@jts/core';
import type { AuditTrail, AuditTrailOptions } from '@jts/compliance';
import type { ExpressMiddlewareOptions } from '@jts/express';
import type { HttpInstrumentationOptions } from '@jts/http';
import type { JtsLogger, LoggerOptions } from '@jts/log';
import type { TradingMetrics, TradingMetricsOptions } from '@jts/metrics';
import type { Tracing, TracingOptions } from '@jts/trace';

type Redaction = RedactionPolicy | false | undefined;
type Operations = readonly OperationName[] | false | undefined;

describe('one vocabulary across the packages', () => {
  it('close() resolves to void everywhere; flush() where something is buffered', () => {
    expectTypeOf<ReturnType<JtsLogger['close']>>().toEqualTypeOf<Promise<void>>();
    expectTypeOf<ReturnType<TradingMetrics['close']>>().toEqualTypeOf<Promise<void>>();
    expectTypeOf<ReturnType<Tracing['close']>>().toEqualTypeOf<Promise<void>>();
    expectTypeOf<ReturnType<AuditTrail['close']>>().toEqualTypeOf<Promise<void>>();
    expectTypeOf<ReturnType<JtsLogger['flush']>>().toEqualTypeOf<Promise<void>>();
    expectTypeOf<ReturnType<Tracing['flush']>>().toEqualTypeOf<Promise<void>>();
    expectTypeOf<ReturnType<AuditTrail['flush']>>().toEqualTypeOf<Promise<void>>();
  });

  it('redaction, operations, flushOnExit, closeTimeoutMs and env have one type each', () => {
    expectTypeOf<LoggerOptions['redaction']>().toEqualTypeOf<Redaction>();
    expectTypeOf<TradingMetricsOptions['redaction']>().toEqualTypeOf<Redaction>();
    expectTypeOf<TracingOptions['redaction']>().toEqualTypeOf<Redaction>();
    expectTypeOf<AuditTrailOptions['redaction']>().toEqualTypeOf<Redaction>();
    expectTypeOf<LoggerOptions['operations']>().toEqualTypeOf<Operations>();
    expectTypeOf<TradingMetricsOptions['operations']>().toEqualTypeOf<Operations>();
    expectTypeOf<TracingOptions['operations']>().toEqualTypeOf<Operations>();
    expectTypeOf<LoggerOptions['flushOnExit']>().toEqualTypeOf<boolean | undefined>();
    expectTypeOf<TracingOptions['flushOnExit']>().toEqualTypeOf<boolean | undefined>();
    expectTypeOf<AuditTrailOptions['flushOnExit']>().toEqualTypeOf<boolean | undefined>();
    expectTypeOf<LoggerOptions['closeTimeoutMs']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<TracingOptions['closeTimeoutMs']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<AuditTrailOptions['closeTimeoutMs']>().toEqualTypeOf<number | undefined>();
    for (const env of [
      {} as LoggerOptions,
      {} as TradingMetricsOptions,
      {} as TracingOptions,
      {} as AuditTrailOptions,
      {} as HttpInstrumentationOptions,
      {} as ExpressMiddlewareOptions,
    ]) {
      expectTypeOf(env.env).toEqualTypeOf<NodeJS.ProcessEnv | undefined>();
    }
  });

  it('no package declares a synonym the table replaced', () => {
    // Every option key of every package, read from the built declarations (what users compile against).
    const packages = [
      'core',
      'log',
      'log-elasticsearch',
      'metrics',
      'trace',
      'compliance',
      'http',
      'express',
      'nestjs',
    ];
    const banned =
      /\b(redactionPolicy|subscribeOperations|operationLines|flushOnSignal|shutdownTimeoutMillis|auditOrderSubmissions|exitFlushTimeoutMs|\w+Millis)\?:|\benvironment\?: NodeJS\.ProcessEnv/;
    const offenders: string[] = [];
    for (const name of packages) {
      const text = readFileSync(new URL(`../packages/${name}/dist/index.d.ts`, import.meta.url), 'utf8');
      for (const line of text.split('\n'))
        if (/^\s+readonly \w+\??:/.test(line) && banned.test(line)) offenders.push(`${name}: ${line.trim()}`);
    }
    expect(offenders).toEqual([]);
  });
});
