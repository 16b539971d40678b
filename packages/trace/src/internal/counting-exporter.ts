import type { ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import { reportDiagnostic } from '@jts/core';
import type { StatsCounters } from '../tracing-stats.js';
import { sdkModules } from './sdk-modules.js';

/** Takes the rejected-span count the serializer saw for the export that just answered. */
export type RejectedSource = () => number;

/**
 * Wraps an exporter to count exported, rejected and dropped spans. The OTLP exporter answers
 * each export once, in the same tick as it parses the collector's response, so the rejected
 * count taken in the callback belongs to this export.
 */
export function createCountingExporter(inner: SpanExporter, counters: StatsCounters, takeRejected?: RejectedSource): SpanExporter {
  const { ExportResultCode } = sdkModules().core;
  return {
    export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
      let answered = false;
      const done = (result: ExportResult) => {
        if (answered) return;
        answered = true;
        if (result.code === ExportResultCode.SUCCESS) {
          const rejected = Math.min(takeRejected?.() ?? 0, spans.length);
          counters.rejected += rejected;
          counters.exported += spans.length - rejected;
        } else {
          counters.dropped += spans.length;
          counters.failedExports += 1;
          reportDiagnostic({ source: '@jts/trace', event: 'export_failed', message: `${spans.length} spans dropped`, error: result.error });
        }
        resultCallback(result);
      };
      try {
        inner.export(spans, done);
      } catch (error) {
        done({ code: ExportResultCode.FAILED, error: error instanceof Error ? error : new Error(String(error)) });
      }
    },
    shutdown: () => inner.shutdown(),
    forceFlush: () => inner.forceFlush?.() ?? Promise.resolve(),
  };
}
