import { type HeaderCarrier, runFromHeaders } from '@jts/core';
import { wrapMethod } from './internal/wrap-method.js';

/** Options of {@link JobContext}. */
export interface JobContextOptions<Args extends unknown[] = never[]> {
  /** Headers the job carries (a queue job's `job.data.headers`); without them each run gets a new correlation ID. */
  readonly headers?: (...args: Args) => HeaderCarrier | undefined;
  /** Header carrying the correlation ID. Default `x-correlation-id`. */
  readonly correlationHeader?: string;
}

/**
 * Runs each call of a scheduled or queued job (`@Cron()`, `@Interval()`, a BullMQ `process()`) in
 * a context of its own: a new correlation ID, or the one in the job's headers, so the lines and
 * operations of one run share it and never another run's. Keeps the method's metadata, so
 * `@Cron()` works above or below it.
 *
 * @param options - where the job's headers are
 * @returns the method decorator
 * @example
 * @Cron('0 * * * * *')
 * @JobContext()
 * reconcilePositions() {}
 *
 * @JobContext({ headers: (job: Job) => job.data.headers })
 * async process(job: Job) {}
 */
export function JobContext<Args extends unknown[] = never[]>(options: JobContextOptions<Args> = {}): MethodDecorator {
  const headersOf = options.headers as ((...args: unknown[]) => HeaderCarrier | undefined) | undefined;
  return (_target, _key, descriptor) =>
    wrapMethod(
      'JobContext',
      descriptor,
      (original) =>
        function (this: unknown, ...args: unknown[]) {
          let headers: HeaderCarrier | undefined;
          try {
            headers = headersOf?.(...args);
          } catch {
            headers = undefined;
          }
          return runFromHeaders(headers, () => original.apply(this, args), { header: options.correlationHeader });
        },
    );
}
