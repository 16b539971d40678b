import diagnosticsChannel from 'node:diagnostics_channel';
import { OPERATION_NAMES, type OperationMessage } from '@jts/core';

/** One finished operation, as the demo prints it. */
export interface JournalEntry {
  readonly operation: string;
  readonly correlationId: string;
  readonly status: string;
  readonly milliseconds: number;
  readonly fields: Readonly<Record<string, string>>;
}

const started = Symbol('demo.started');

/**
 * Subscribes to every jts:<operation> channel, as any APM tool could, and keeps what finished.
 * Shows that the operations carry one correlation ID across services.
 */
export function createOperationJournal() {
  const entries: JournalEntry[] = [];
  const finish = (message: OperationMessage) => {
    entries.push({
      operation: message.operation,
      correlationId: message.context.correlationId,
      status: message.status ?? 'unknown',
      milliseconds: Number(process.hrtime.bigint() - (message[started] as bigint)) / 1e6,
      fields: message.context.attributes,
    });
  };
  const handlers = {
    start: (message: unknown) => {
      (message as OperationMessage)[started] = process.hrtime.bigint();
    },
    end: (message: unknown) => {
      const run = message as OperationMessage;
      // Synchronous runs end here; asynchronous ones at asyncEnd.
      if (run.async === false) finish(run);
    },
    asyncEnd: (message: unknown) => finish(message as OperationMessage),
    asyncStart: () => {},
    error: () => {},
  };
  const channels = OPERATION_NAMES.map((name) => diagnosticsChannel.tracingChannel(`jts:${name}`));
  for (const channel of channels) channel.subscribe(handlers);
  return {
    entries,
    close: () => {
      for (const channel of channels) channel.unsubscribe(handlers);
    },
  };
}
