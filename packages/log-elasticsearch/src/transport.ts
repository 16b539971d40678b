import { parentPort } from 'node:worker_threads';
import { createSpoolDestination, type SpoolDestination } from './spool-destination.js';
import { SHIP_ALL, type ShipAllRequest, type TransportOptions, WORKER_EVENTS } from './worker-protocol.js';

const ERROR_REPORT_INTERVAL_MS = 1000;

/**
 * Worker-thread entry of the Elasticsearch shipper, loaded by pino's thread-stream from
 * `dist/elasticsearch-transport.{js,cjs}`. Returns the spool destination; answers ship-all
 * requests and reports errors back to the main thread.
 *
 * @param options - settings and shared counters
 * @returns the destination thread-stream writes pino's lines to
 */
export default async function elasticsearchTransport(options: TransportOptions): Promise<SpoolDestination> {
  let lastReported = '';
  let lastReportedAt = 0;
  const post = (name: string, args: unknown[]) => {
    try {
      parentPort?.postMessage({ code: 'EVENT', name, args });
    } catch {
      // The main thread is gone; nothing to tell.
    }
  };
  const onError = (message: string) => {
    const now = Date.now();
    if (message === lastReported && now - lastReportedAt < ERROR_REPORT_INTERVAL_MS) return;
    lastReported = message;
    lastReportedAt = now;
    post(WORKER_EVENTS.error, [message]);
  };

  const destination = createSpoolDestination(options.settings, options.counters, onError);
  const onMessage = (message: Partial<ShipAllRequest> | undefined) => {
    if (message?.code !== SHIP_ALL || typeof message.id !== 'number') return;
    const id = message.id;
    destination.shipAll(message.timeoutMs ?? 0).then(
      (done) => post(WORKER_EVENTS.shipped, [id, done]),
      () => post(WORKER_EVENTS.shipped, [id, false]),
    );
  };
  parentPort?.on('message', onMessage);
  destination.once('close', () => parentPort?.off('message', onMessage));
  return destination;
}
