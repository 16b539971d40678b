import { AsyncResource } from 'node:async_hooks';
import { type IncomingMessage, createServer } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { correlationIdStats, orderExecution } from '@jts/core';
import { httpStats, instrumentHandler, instrumentServer, requestRunOf } from '@jts/http';
import {
  type Listening,
  type Signals,
  abortAfterStart,
  listen,
  send,
  sendRaw,
  startSignals,
  until,
} from './support/signals.js';

let signals: Signals | undefined;
let server: Listening | undefined;
afterEach(async () => {
  await server?.close();
  await signals?.close();
  server = undefined;
  signals = undefined;
});

const routeOf = (url: string | undefined) => (url?.startsWith('/orders/') ? '/orders/:id' : undefined);
const count = (samples: Awaited<ReturnType<Signals['samples']>>, labels: Record<string, string>) =>
  samples.find(
    (sample) =>
      sample.name === 'api_request_duration_seconds_count' &&
      Object.entries(labels).every(([key, value]) => sample.labels[key] === value),
  )?.value ?? 0;

describe('instrumentHandler: one request, one outcome in every signal', () => {
  it('serves 1,000 concurrent requests, each with its own correlation ID in its line, span and exemplar', async () => {
    signals = startSignals();
    server = await listen(
      instrumentHandler(
        async (request, response) => {
          await new Promise((resolve) => setTimeout(resolve, Math.random() * 5));
          // Work inside the request sees its context: an order step nested in the request.
          await orderExecution.run(
            { orderId: `o-${request.headers['x-correlation-id']}`, symbol: 'AAPL' },
            async () => undefined,
          );
          response.end('ok');
        },
        { route: (request) => routeOf(request.url) },
      ),
    );
    const ids = Array.from({ length: 1000 }, (_unused, index) => `req-${index}`);
    const replies = await Promise.all(
      ids.map((id, index) => send(`${server!.url}/orders/${index}`, { headers: { 'x-correlation-id': id } })),
    );
    expect(replies.map((reply) => reply.headers['x-correlation-id'])).toEqual(ids);
    // The last replies can arrive in the turn their requests ended in, before the signals see them
    // (core publishes a turn's ended requests at its end); a flush publishes them at once.
    await signals.logger.flush();
    const lines = signals.accessLines();
    expect(lines).toHaveLength(1000);
    expect(new Set(lines.map((line) => line.correlation_id))).toEqual(new Set(ids));
    for (const line of lines) expect(line['url.path']).toBe(`/orders/${(line.correlation_id as string).slice(4)}`);
    const orderLines = signals.lines().filter((line) => line['event.action'] === 'order.execution');
    for (const line of orderLines) expect(line['trading.order_id']).toBe(`o-${line.correlation_id}`);
    const spans = await signals.spans();
    const serverSpans = spans.filter((span) => span.kind === 1);
    expect(serverSpans).toHaveLength(1000);
    const byTrace = new Map(serverSpans.map((span) => [span.spanContext().traceId, span]));
    for (const span of spans.filter((candidate) => candidate.name === 'order.execution')) {
      const parent = byTrace.get(span.spanContext().traceId)!;
      expect(span.parentSpanContext?.spanId).toBe(parent.spanContext().spanId);
      expect(span.attributes.correlation_id).toBe(parent.attributes.correlation_id);
    }
    const samples = await signals.samples();
    expect(count(samples, { method: 'GET', route: '/orders/:id', status_code: '200', outcome: 'success' })).toBe(1000);
    const exemplars = samples.filter(
      (sample) => sample.name === 'api_request_duration_seconds_bucket' && sample.exemplar !== undefined,
    );
    expect(exemplars.length).toBeGreaterThan(0);
    for (const { exemplar } of exemplars) expect(byTrace.has(exemplar!.labels.trace_id!)).toBe(true);
  });

  it('continues an incoming traceparent and keeps the tracestate', async () => {
    signals = startSignals();
    server = await listen(instrumentHandler((_request, response) => response.end()));
    await send(`${server.url}/x`, {
      headers: { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01', tracestate: 'vendor=v1' },
    });
    const [span] = await signals.serverSpans();
    expect(span!.spanContext().traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(span!.parentSpanContext?.spanId).toBe('00f067aa0ba902b7');
    expect(span!.spanContext().traceState?.get('vendor')).toBe('v1');
  });

  it('replaces malformed or hostile correlation IDs and traceparents, never echoing them', async () => {
    signals = startSignals();
    server = await listen(instrumentHandler((_request, response) => response.end('ok')));
    const rejectedBefore = correlationIdStats().rejected;
    const hostile = ['x'.repeat(129), 'has space', 'semi;colon', 'ünïcode', '<script>'];
    for (const value of hostile) {
      const reply = await send(`${server.url}/`, {
        headers: { 'x-correlation-id': value, traceparent: '00-XYZ-00f067aa0ba902b7-01' },
      });
      expect(reply.headers['x-correlation-id']).toMatch(/^[0-9a-f-]{36}$/);
    }
    // Bytes Node's client refuses to send, on a raw socket: obs-text (0xFF) reaches the handler and is
    // replaced; a control byte is refused by Node's parser with a 400 before any handler runs.
    const raw = await sendRaw(
      server.port,
      'GET / HTTP/1.1\r\nHost: x\r\nX-Correlation-Id: abc\xffdef\r\ntraceparent: 00-00000000000000000000000000000000-00f067aa0ba902b7-01',
    );
    expect(raw).toMatch(/^HTTP\/1.1 200/);
    expect(raw).not.toContain('abc\xffdef');
    expect(raw).toMatch(/x-correlation-id: [0-9a-f-]{36}/i);
    const control = await sendRaw(server.port, 'GET / HTTP/1.1\r\nHost: x\r\nX-Correlation-Id: abc\x01def');
    expect(control).toMatch(/^HTTP\/1.1 400/);
    expect(control).not.toContain('abc\x01def');
    expect(correlationIdStats().rejected - rejectedBefore).toBe(hostile.length + 1);
    const spans = await signals.serverSpans();
    // An invalid traceparent starts a new trace (the all-zero trace ID is invalid too).
    for (const span of spans) {
      expect(span.parentSpanContext).toBeUndefined();
      expect(span.spanContext().traceId).not.toBe('00000000000000000000000000000000');
    }
    for (const line of signals.accessLines()) expect(JSON.stringify(line)).not.toMatch(/script|abc.def|has space/);
  });

  it('answers a throwing or rejecting handler with a 500 carrying the correlation ID, and one error line each', async () => {
    signals = startSignals();
    const before = httpStats().handlerErrors;
    server = await listen(
      instrumentHandler((request) => {
        if (request.url === '/sync') throw new TypeError('bad order payload');
        return Promise.reject(new RangeError('price out of band'));
      }),
    );
    for (const path of ['/sync', '/async']) {
      const reply = await send(`${server.url}${path}`, { headers: { 'x-correlation-id': `fail${path.slice(1)}` } });
      expect(reply.status).toBe(500);
      expect(JSON.parse(reply.body)).toEqual({ error: 'internal_error', correlationId: `fail${path.slice(1)}` });
    }
    await until(() => signals!.accessLines().length === 2, 'two access lines');
    const errors = signals.lines().filter((line) => line['log.level'] === 'error');
    expect(
      errors.map((line) => [
        line.correlation_id,
        (line.error as { type: string }).type,
        line['http.response.status_code'],
        line['jts.operation.status'],
      ]),
    ).toEqual([
      ['failsync', 'TypeError', 500, 'server_error'],
      ['failasync', 'RangeError', 500, 'server_error'],
    ]);
    const spans = await signals.serverSpans();
    expect(spans.map((span) => [span.status.code, span.attributes['error.type']])).toEqual([
      [2, 'TypeError'],
      [2, 'RangeError'],
    ]);
    expect(httpStats().handlerErrors - before).toBe(2);
  });

  it("publishes a turn's ended requests at its end, and at once to a flush or a scrape in that turn", async () => {
    signals = startSignals();
    const current = signals;
    // What each read saw, taken in the turn the response finished (the test's own listener runs
    // right after the adapter's).
    let inTurn: Promise<{ lines: number; spans: number; count: number; linesBefore: number }> | undefined;
    server = await listen(
      instrumentHandler(
        (_request, response) => {
          response.once('finish', () => {
            const linesBefore = current.accessLines().length;
            const flushed = current.logger.flush();
            const lines = current.accessLines().length;
            const exposition = current.samples();
            const spans = current.serverSpans();
            inTurn = Promise.all([flushed, exposition, spans]).then(([, samples, ended]) => ({
              linesBefore,
              lines,
              spans: ended.length,
              count: count(samples, { route: '/orders/:id', outcome: 'success' }),
            }));
          });
          response.end('ok');
        },
        { route: (request) => routeOf(request.url) },
      ),
    );
    await send(`${server.url}/orders/1`);
    await until(() => inTurn !== undefined, 'the finish listener');
    expect(await inTurn).toEqual({ linesBefore: 0, lines: 1, spans: 1, count: 1 });

    // Without a flush, the signals see the request at the end of its turn.
    let atFinish = -1;
    let atTurnEnd = -1;
    server.server.removeAllListeners('request');
    server.server.on(
      'request',
      instrumentHandler(
        (_request, response) => {
          response.once('finish', () => {
            atFinish = current.accessLines().length;
            setImmediate(() => (atTurnEnd = current.accessLines().length));
          });
          response.end('ok');
        },
        { route: (request) => routeOf(request.url) },
      ),
    );
    await send(`${server.url}/orders/2`);
    await until(() => atTurnEnd !== -1, 'the end of the turn');
    expect([atFinish, atTurnEnd]).toEqual([1, 2]);
  });

  it('records a client that aborts mid-request as aborted in the line, the span and the histogram', async () => {
    signals = startSignals();
    let started!: () => void;
    const handling = new Promise<void>((resolve) => (started = resolve));
    server = await listen(
      instrumentHandler(
        (_request, response) => {
          started();
          setTimeout(() => response.end('too late'), 200);
        },
        { route: () => '/slow' },
      ),
    );
    const before = httpStats().aborted;
    await abortAfterStart(`${server.url}/slow`, handling);
    await until(() => signals!.accessLines().length === 1, 'the access line');
    const [line] = signals.accessLines();
    expect(line).toMatchObject({ 'jts.operation.status': 'aborted', 'log.level': 'warn' });
    expect(line!['http.response.status_code']).toBeUndefined();
    const [span] = await signals.serverSpans();
    expect(span!.attributes['jts.operation.outcome']).toBe('aborted');
    expect(span!.attributes['http.response.status_code']).toBeUndefined();
    expect(count(await signals.samples(), { route: '/slow', status_code: 'none', outcome: 'aborted' })).toBe(1);
    expect(httpStats().aborted - before).toBe(1);
    // The handler's late end() does not make a second line.
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(signals.accessLines()).toHaveLength(1);
  });

  it('closes out a response that never ends with the timeout outcome, counted', async () => {
    signals = startSignals();
    server = await listen(instrumentHandler(() => {}, { requestTimeoutMs: 50, route: () => '/hang' }));
    const before = httpStats().timedOut;
    const outgoing = send(`${server.url}/hang`).catch(() => undefined);
    await until(() => signals!.accessLines().length === 1, 'the timeout line');
    expect(signals.accessLines()[0]).toMatchObject({ 'jts.operation.status': 'timeout', 'log.level': 'error' });
    const [span] = await signals.serverSpans();
    expect([span!.status.code, span!.attributes['error.type']]).toEqual([2, 'timeout']);
    expect(count(await signals.samples(), { route: '/hang', outcome: 'timeout' })).toBe(1);
    expect(httpStats().timedOut - before).toBe(1);
    await server.close();
    server = undefined;
    await outgoing;
  });

  it("finds a request's run from its own context, from another request's and from outside any, and ends it from outside", async () => {
    signals = startSignals();
    // Made here, outside every request: code run in its scope has no JTS context at all.
    const outside = new AsyncResource('test-outside');
    let other: IncomingMessage | undefined;
    let otherArrived!: () => void;
    const arrived = new Promise<void>((resolve) => {
      otherArrived = resolve;
    });
    const seen: Record<string, unknown> = {};
    server = await listen(
      instrumentHandler(async (request, response) => {
        if (request.url === '/b') {
          other = request;
          otherArrived();
          await new Promise((resolve) => setTimeout(resolve, 50));
          // The response ends from code with no context: its run still ends, with its status.
          outside.runInAsyncScope(() => response.end('b'));
          return;
        }
        await arrived;
        seen.own = requestRunOf(request)?.correlationId;
        seen.other = requestRunOf(other!)?.correlationId;
        seen.outside = outside.runInAsyncScope(() => requestRunOf(request)?.correlationId);
        seen.foreign = outside.runInAsyncScope(() => requestRunOf(other!)?.correlationId);
        response.end('a');
      }),
    );
    const replies = await Promise.all([
      send(`${server.url}/a`, { headers: { 'x-correlation-id': 'own-a' } }),
      send(`${server.url}/b`, { headers: { 'x-correlation-id': 'own-b' } }),
    ]);
    expect(replies.map((reply) => reply.body)).toEqual(['a', 'b']);
    expect(seen).toEqual({ own: 'own-a', other: 'own-b', outside: 'own-a', foreign: 'own-b' });
    await until(() => signals!.accessLines().length === 2, 'two lines');
    const lines = Object.fromEntries(signals.accessLines().map((line) => [line['url.path'], line]));
    expect(lines['/b']).toMatchObject({ correlation_id: 'own-b', 'http.response.status_code': 200 });
    expect(lines['/a']).toMatchObject({ correlation_id: 'own-a', 'http.response.status_code': 200 });
  });

  it("gives an adapter's beforeEnd the last word once, on finish, on abort and on timeout, even when it throws", async () => {
    signals = startSignals();
    const calls: string[] = [];
    let slowStarted!: () => void;
    const started = new Promise<void>((resolve) => {
      slowStarted = resolve;
    });
    server = await listen(
      instrumentHandler(
        (request, response) => {
          const run = requestRunOf(request)!;
          run.beforeEnd = (seen, ended) => {
            // Called before the run ends, with the request's own run (checked below: a throw here is swallowed).
            calls.push(`${seen.url} ${ended === run && !ended.ended}`);
            ended.setRoute(`/late${seen.url!.slice(0, seen.url!.indexOf('/', 1))}`);
            if (seen.url === '/throws/1') throw new Error('adapter bug');
          };
          if (request.url === '/hang/1') return;
          if (request.url === '/slow/1') {
            slowStarted();
            setTimeout(() => response.end('late'), 300);
            return;
          }
          response.end('ok');
        },
        { requestTimeoutMs: 150 },
      ),
    );
    await send(`${server.url}/done/1`);
    await send(`${server.url}/throws/1`);
    const hanging = send(`${server.url}/hang/1`).catch(() => undefined);
    await abortAfterStart(`${server.url}/slow/1`, started);
    await until(() => signals!.accessLines().length === 4, 'four lines');
    const routes = Object.fromEntries(signals.accessLines().map((line) => [line['url.path'], line['http.route']]));
    expect(routes).toEqual({
      '/done/1': '/late/done',
      '/throws/1': '/late/throws',
      '/hang/1': '/late/hang',
      '/slow/1': '/late/slow',
    });
    expect([...calls].sort()).toEqual(['/done/1 true', '/hang/1 true', '/slow/1 true', '/throws/1 true']);
    await new Promise((resolve) => setTimeout(resolve, 400)); // the slow handler's late end: no second call
    expect(calls).toHaveLength(4);
    await server.close();
    server = undefined;
    await hanging;
  });

  it('starts each request as a root of its own, even on a server that listens inside a traced operation', async () => {
    signals = startSignals();
    // The accepted connections inherit the async context the server listened in: a request must
    // not become a child of that operation's span, nor take its correlation ID.
    server = await orderExecution.run({ orderId: 'o-listen' }, () =>
      listen(
        instrumentHandler((_request, response) => response.end('ok'), { route: (request) => routeOf(request.url) }),
      ),
    );
    await send(`${server.url}/orders/1`);
    await until(async () => (await signals!.serverSpans()).length === 1, 'the server span');
    const [span] = await signals.serverSpans();
    expect(span!.parentSpanContext).toBeUndefined();
    const [line] = signals.accessLines();
    expect(line!['trace.id']).toBe(span!.spanContext().traceId);
    expect(line!['trading.order_id']).toBeUndefined();
  });

  it('makes no span, no line and no series for excluded paths and templates', async () => {
    signals = startSignals();
    const before = httpStats().excluded;
    server = await listen(
      instrumentHandler((request, response) => response.end(String(requestRunOf(request) === undefined)), {
        exclude: ['/metrics', '/health/:probe', /^\/internal\//],
      }),
    );
    const replies = await Promise.all(
      ['/metrics', '/health/live', '/internal/x', '/orders/1'].map((path) => send(`${server!.url}${path}`)),
    );
    expect(replies.map((reply) => reply.body)).toEqual(['true', 'true', 'true', 'false']);
    expect(replies[0]!.headers['x-correlation-id']).toBeUndefined();
    expect(signals.accessLines().map((line) => line['url.path'])).toEqual(['/orders/1']);
    expect((await signals.serverSpans()).map((span) => span.attributes['url.path'])).toEqual(['/orders/1']);
    const series = (await signals.samples()).filter((sample) => sample.name === 'api_request_duration_seconds_count');
    expect(series.map((sample) => sample.value)).toEqual([1]);
    expect(httpStats().excluded - before).toBe(3);
  });

  it('labels by route template, never the raw URL; unmatched requests share one template', async () => {
    signals = startSignals();
    server = await listen(
      instrumentHandler((_request, response) => response.end(), { route: (request) => routeOf(request.url) }),
    );
    await Promise.all(
      ['/orders/1?token=s3cr3t', '/orders/2', '/nope/123', '/nope/456'].map((path) => send(`${server!.url}${path}`)),
    );
    const text = await signals.exposition();
    expect(text).not.toMatch(/s3cr3t|\/orders\/1|\/nope\/123/);
    const samples = await signals.samples();
    expect(count(samples, { route: '/orders/:id' })).toBe(2);
    expect(count(samples, { route: 'unmatched' })).toBe(2);
    const names = (await signals.serverSpans()).map((span) => span.name).sort();
    expect(names).toEqual(['GET', 'GET', 'GET /orders/:id', 'GET /orders/:id']);
  });

  it('instrumentServer wraps the listeners a server already has, and undoes it', async () => {
    signals = startSignals();
    const plain = createServer((_request, response) => response.end('plain'));
    const undo = instrumentServer(plain);
    server = await listen(plain);
    const reply = await send(`${server.url}/a`);
    expect([reply.body, typeof reply.headers['x-correlation-id']]).toEqual(['plain', 'string']);
    undo();
    const after = await send(`${server.url}/b`);
    expect([after.body, after.headers['x-correlation-id']]).toEqual(['plain', undefined]);
    expect(signals.accessLines()).toHaveLength(1);
  });

  it('rejects bad options with JtsError naming the option and its variable', () => {
    expect(() => instrumentHandler(() => {}, { correlationHeader: 'bad header' })).toThrowError(
      expect.objectContaining({
        code: 'JTS_ERR_INVALID_OPTION',
        message: expect.stringContaining('JTS_HTTP_CORRELATION_HEADER'),
      }),
    );
    expect(() => instrumentHandler(() => {}, { requestTimeoutMs: -1 })).toThrowError(
      expect.objectContaining({ message: expect.stringContaining('JTS_HTTP_REQUEST_TIMEOUT_MS') }),
    );
    expect(() => instrumentHandler(() => {}, { exclude: ['no-slash'] })).toThrowError(
      expect.objectContaining({ message: expect.stringContaining('exclude') }),
    );
    expect(() => instrumentHandler(() => {}, { route: 'x' as never })).toThrowError(
      expect.objectContaining({ code: 'JTS_ERR_INVALID_OPTION' }),
    );
  });
});
