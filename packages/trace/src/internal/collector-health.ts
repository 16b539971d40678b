import { connect } from 'node:net';
import { reportDiagnostic } from '@jts/core';

/** Connection errors that mean nothing listens at the collector's address (or it has no address). */
const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/** Whether an export's error says the collector cannot be reached at all. */
export const isUnreachable = (error: unknown): boolean =>
  UNREACHABLE.has(String((error as { code?: unknown } | undefined)?.code));

/** What @jts/trace knows about the collector: reports an outage once, probes before a flush. */
export interface CollectorHealth {
  /** `up` after a successful export, `down` after an unreachable one, `unknown` before either. */
  readonly state: () => 'unknown' | 'up' | 'down';
  /** An export succeeded: the next outage is reported again. */
  succeeded(): void;
  /** An export failed; reported (warning + diagnostic) once per outage when nothing listens. */
  failed(error: unknown, spans: number): void;
  /** Whether a TCP connection to the collector is refused now (bounded by `timeoutMs`; unknown counts as not refused); `pending` spans are named in the report. */
  refuses(timeoutMs: number, pending: number): Promise<boolean>;
}

/**
 * Tracks whether the OTLP collector at `url` can be reached. A missing collector is the most
 * common set-up mistake (no agent running, a wrong port): it is said once, as a coded process
 * warning (`JTS_WARN_TRACE_COLLECTOR_UNREACHABLE`) and a `collector_unreachable` diagnostic,
 * instead of every export failing in silence; a later successful export re-arms the report.
 *
 * @param url - the OTLP traces URL
 * @returns the health tracker
 * @internal
 */
export function createCollectorHealth(url: string): CollectorHealth {
  let state: 'unknown' | 'up' | 'down' = 'unknown';
  let reported = false;
  const report = (error: unknown, spans: number) => {
    if (reported) return;
    reported = true;
    const reason = (error as Error | undefined)?.message ?? String(error);
    const message = `no OTLP collector reachable at ${url} (${reason}); ${spans} span(s) dropped, and spans keep being dropped until one answers. Start a collector there or set OTEL_EXPORTER_OTLP_ENDPOINT (or otlp.url).`;
    process.emitWarning(message, { code: 'JTS_WARN_TRACE_COLLECTOR_UNREACHABLE', type: 'JtsWarning' });
    reportDiagnostic({ source: '@jts/trace', event: 'collector_unreachable', message, error });
  };
  return {
    state: () => state,
    succeeded() {
      state = 'up';
      reported = false;
    },
    failed(error, spans) {
      if (!isUnreachable(error)) return;
      state = 'down';
      report(error, spans);
    },
    refuses(timeoutMs, pending) {
      const target = new URL(url);
      const port = Number(target.port || (target.protocol === 'https:' ? 443 : 80));
      const host = target.hostname.replace(/^\[(.*)\]$/, '$1');
      return new Promise<boolean>((resolve) => {
        const socket = connect({ host, port });
        const done = (refused: boolean) => {
          clearTimeout(timer);
          socket.destroy();
          resolve(refused);
        };
        const timer = setTimeout(() => done(false), timeoutMs);
        socket.once('connect', () => done(false));
        socket.once('error', (error) => {
          if (isUnreachable(error)) {
            state = 'down';
            report(error, pending);
          }
          done(isUnreachable(error));
        });
      });
    },
  };
}
