import type { ResolvedShippingSettings } from './options.js';

/** What `createElasticsearchDestination` passes to the worker through `pino.transport({ options })`. */
export interface TransportOptions {
  readonly settings: ResolvedShippingSettings;
  /** Shared counters; structured clone shares a SharedArrayBuffer instead of copying it. */
  readonly counters: SharedArrayBuffer;
}

/** Message the main thread sends to the worker to have everything written so far shipped. */
export interface ShipAllRequest {
  readonly code: typeof SHIP_ALL;
  readonly id: number;
  readonly timeoutMs: number;
}

/** Code of {@link ShipAllRequest} (thread-stream's own worker listener ignores other codes). */
export const SHIP_ALL = 'JTS_ES_SHIP_ALL';

/** Events the worker emits on the main thread's ThreadStream (through thread-stream's `EVENT` message). */
export const WORKER_EVENTS = {
  /** `(id: number, done: boolean)`: answer to a {@link ShipAllRequest}. */
  shipped: 'jts:es-shipped',
  /** `(message: string)`: a shipping failure, at most once a second per distinct message. */
  error: 'jts:es-error',
} as const;
