import type { OperationName, RedactionPolicy } from '@jts/core';
import { describe, expectTypeOf, it } from 'vitest';
import type { BatchOptions, OtlpExporterOptions, Tracing, TracingOptions } from '../src/index.js';

// The option names of docs/reference/options.md, checked on the exported types (by `tsc`, which
// type-checks the tests): a rename or an old name coming back fails the typecheck.
describe('@jts/trace follows the one vocabulary', () => {
  it('lifecycle: close() and flush() resolve to void; shutdown() and forceFlush() are the same functions', () => {
    expectTypeOf<Tracing['close']>().toEqualTypeOf<() => Promise<void>>();
    expectTypeOf<Tracing['flush']>().toEqualTypeOf<() => Promise<void>>();
    expectTypeOf<Tracing['shutdown']>().toEqualTypeOf<Tracing['close']>();
    expectTypeOf<Tracing['forceFlush']>().toEqualTypeOf<Tracing['flush']>();
  });

  it('shared options have the table types', () => {
    expectTypeOf<TracingOptions['redaction']>().toEqualTypeOf<RedactionPolicy | false | undefined>();
    expectTypeOf<TracingOptions['operations']>().toEqualTypeOf<readonly OperationName[] | false | undefined>();
    expectTypeOf<TracingOptions['flushOnExit']>().toEqualTypeOf<boolean | undefined>();
    expectTypeOf<TracingOptions['closeTimeoutMs']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<TracingOptions['env']>().toEqualTypeOf<NodeJS.ProcessEnv | undefined>();
  });

  it('durations end in Ms and the old names are gone', () => {
    expectTypeOf<keyof BatchOptions>().toEqualTypeOf<
      'maxQueueSize' | 'maxExportBatchSize' | 'scheduledDelayMs' | 'exportTimeoutMs'
    >();
    expectTypeOf<OtlpExporterOptions['timeoutMs']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<'flushOnSignal'>().not.toMatchTypeOf<keyof TracingOptions>();
    expectTypeOf<'shutdownTimeoutMillis'>().not.toMatchTypeOf<keyof TracingOptions>();
    expectTypeOf<'timeoutMillis'>().not.toMatchTypeOf<keyof OtlpExporterOptions>();
  });
});
