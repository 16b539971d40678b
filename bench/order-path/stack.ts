// The shape every stack of the order-path benchmark has, so one child process can set up, check,
// measure and close any of them.
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { OrderInput } from './orders.js';

/** How a case runs its stack. */
export interface StackSettings {
  /** The order step awaits once (`asyncStep`) instead of returning at once (`syncStep`). */
  readonly async: boolean;
  /** New traces are sampled (spans recorded and exported, exemplars attached). */
  readonly sampled: boolean;
  /** A fresh directory for the log file and the audit trail. */
  readonly directory: string;
}

/** What a stack produced so far, read after flushing it. */
export interface StackSignals {
  /** The file the stack's logger writes. */
  readonly logFile: string;
  readonly spansExported: number;
  readonly firstSpan: ReadableSpan | undefined;
  /** OpenMetrics (or Prometheus) text of the stack's registry. */
  readonly exposition: string;
  /** Audit records made durable (jts with the audit trail only). */
  readonly auditRecords?: number;
  /** Lines or spans a stack reports dropped (jts only: its stats). */
  readonly dropped?: number;
}

/** One way of instrumenting the order call. */
export interface OrderStack {
  /** Runs one order with every signal; returns the step's result (a promise for the async step). */
  readonly order: (order: OrderInput) => unknown;
  /** Whether sampled orders leave `trace_id`/`span_id` exemplars on the metrics. */
  readonly exemplars: boolean;
  /** Whether every order is also written to the audit trail. */
  readonly audit: boolean;
  /** Flushes what is buffered (lines, spans, audit records) and reads what came out. */
  signals(): Promise<StackSignals>;
  /** Flushes and closes every signal. */
  close(): Promise<void>;
}
