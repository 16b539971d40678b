import { ExportResultCode } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';

/**
 * A span exporter that accepts every batch and drops it: the benchmark measures producing and
 * batching spans, not a collector. Counts what it was given, so a run shows spans were made.
 */
export class DiscardingExporter implements SpanExporter {
  exported = 0;

  export(spans: ReadableSpan[], done: (result: { code: ExportResultCode }) => void): void {
    this.exported += spans.length;
    done({ code: ExportResultCode.SUCCESS });
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }
}
