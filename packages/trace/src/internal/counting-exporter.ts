import type { ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import { reportDiagnostic } from '@jts/core';
import type { StatsCounters } from '../tracing-stats.js';
import type { CollectorHealth } from './collector-health.js';
import { sdkModules } from './sdk-modules.js';

/** Takes the rejected-span count the serializer saw for the export that just answered. */
export type RejectedSource = () => number;

/** The exporter in front of the real one, with the controls a close needs. */
export interface CountingExporter extends SpanExporter {
  /** While set, exports answer FAILED at once (counted as dropped): nothing listens. */
  failFast: boolean;
  /** After the close's final count, late answers change nothing. */
  seal(): void;
}

/**
 * Wraps an exporter to count exported, rejected and dropped spans. The OTLP exporter answers
 * each export once, in the same tick as it parses the collector's response, so the rejected
 * count taken in the callback belongs to this export.
 */
export function createCountingExporter(
  inner: SpanExporter,
  counters: StatsCounters,
  takeRejected?: RejectedSource,
  health?: CollectorHealth,
): CountingExporter {
  const { ExportResultCode } = sdkModules().core;
  let sealed = false;
  const counting: CountingExporter = {
    failFast: false,
    seal() {
      sealed = true;
    },
    export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
      let answered = false;
      const done = (result: ExportResult) => {
        if (answered) return;
        answered = true;
        if (sealed) {
          resultCallback(result);
          return;
        }
        if (result.code === ExportResultCode.SUCCESS) {
          const rejected = Math.min(takeRejected?.() ?? 0, spans.length);
          counters.rejected += rejected;
          counters.exported += spans.length - rejected;
          health?.succeeded();
        } else {
          counters.dropped += spans.length;
          counters.failedExports += 1;
          reportDiagnostic({
            source: '@jts/trace',
            event: 'export_failed',
            message: `${spans.length} spans dropped`,
            error: result.error,
          });
          health?.failed(result.error, spans.length);
        }
        resultCallback(result);
      };
      if (counting.failFast) {
        done({
          code: ExportResultCode.FAILED,
          error: new Error('no OTLP collector is listening; spans dropped without an attempt'),
        });
        return;
      }
      try {
        inner.export(spans, done);
      } catch (error) {
        done({ code: ExportResultCode.FAILED, error: error instanceof Error ? error : new Error(String(error)) });
      }
    },
    // With nobody listening, an export still retrying in the background is not waited for.
    shutdown() {
      if (!counting.failFast) return inner.shutdown();
      inner.shutdown().catch(() => undefined);
      return Promise.resolve();
    },
    forceFlush: () => (counting.failFast ? Promise.resolve() : (inner.forceFlush?.() ?? Promise.resolve())),
  };
  return counting;
}
