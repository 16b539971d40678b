import { IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { correlationIdStats } from '@jts/core';
import { expressMiddleware } from '@jts/express';
import {
  type Listening,
  type Signals,
  abortAfterStart,
  listen,
  send,
  sendRaw,
  startSignals,
  until,
} from '../../http/test/support/signals.js';
import { EXPRESS_VERSIONS } from './support/express-versions.js';
import { type OrderApp, createOrderApp } from './support/order-app.js';

// One set of signals for the file; each version gets one app. Requests carry correlation IDs
// unique to their test, and metric counts are read as differences, so tests share both.
let signals: Signals;
beforeAll(() => {
  signals = startSignals();
});
afterAll(() => signals.close());

type Samples = Awaited<ReturnType<Signals['samples']>>;
const countOf = (samples: Samples, labels: Record<string, string>) =>
  samples
    .filter(
      (sample) =>
        sample.name === 'api_request_duration_seconds_count' &&
        Object.entries(labels).every(([key, value]) => sample.labels[key] === value),
    )
    .reduce((sum, sample) => sum + sample.value, 0);
const linesOf = (ids: readonly string[]) => {
  const wanted = new Set(ids);
  return signals.accessLines().filter((line) => wanted.has(line.correlation_id as string));
};
const spansOf = async (ids: readonly string[]) => {
  const wanted = new Set(ids);
  return (await signals.serverSpans()).filter((span) => wanted.has(span.attributes.correlation_id as string));
};

describe.each(EXPRESS_VERSIONS)('@jts/express on $name: one request, one outcome in every signal', (version) => {
  let orderApp: OrderApp;
  let server: Listening;
  const tag = `e${version.major}`;
  beforeAll(async () => {
    orderApp = createOrderApp(version);
    server = await listen(orderApp.app);
  });
  afterAll(() => server.close());

  it('serves 1,000 concurrent requests, each with its own correlation ID in its line, span and exemplar', async () => {
    const route = '/api/orders/:orderId';
    const before = countOf(await signals.samples(), { route, status_code: '200', outcome: 'success' });
    const ids = Array.from({ length: 1000 }, (_unused, index) => `${tag}-load-${index}`);
    const replies = await Promise.all(
      ids.map((id, index) => send(`${server.url}/api/orders/${index}`, { headers: { 'x-correlation-id': id } })),
    );
    expect(replies.map((reply) => reply.headers['x-correlation-id'])).toEqual(ids);
    expect(replies.map((reply) => JSON.parse(reply.body).orderId)).toEqual(ids.map((_id, index) => String(index)));
    await until(() => linesOf(ids).length === 1000, 'a line per request');
    const lines = linesOf(ids);
    for (const line of lines) {
      expect(line['http.route']).toBe(route);
      expect(line['url.path']).toBe(`/api/orders/${(line.correlation_id as string).slice(`${tag}-load-`.length)}`);
    }
    const orderLines = signals
      .lines()
      .filter((line) => line['event.action'] === 'order.execution' && ids.includes(line.correlation_id as string));
    expect(orderLines).toHaveLength(1000);
    for (const line of orderLines) expect(line['trading.order_id']).toBe(`o-${line.correlation_id}`);
    const spans = await spansOf(ids);
    expect(spans).toHaveLength(1000);
    expect(new Set(spans.map((span) => span.name))).toEqual(new Set([`GET ${route}`]));
    const byTrace = new Map(spans.map((span) => [span.spanContext().traceId, span]));
    const orderSpans = (await signals.spans()).filter(
      (span) => span.name === 'order.execution' && byTrace.has(span.spanContext().traceId),
    );
    expect(orderSpans).toHaveLength(1000);
    for (const span of orderSpans) {
      const parent = byTrace.get(span.spanContext().traceId)!;
      expect(span.parentSpanContext?.spanId).toBe(parent.spanContext().spanId);
      expect(span.attributes.correlation_id).toBe(parent.attributes.correlation_id);
    }
    const samples = await signals.samples();
    expect(countOf(samples, { method: 'GET', route, status_code: '200', outcome: 'success' }) - before).toBe(1000);
    const exemplars = samples.filter(
      (sample) =>
        sample.name === 'api_request_duration_seconds_bucket' &&
        sample.labels.route === route &&
        sample.exemplar !== undefined,
    );
    expect(exemplars.length).toBeGreaterThan(0);
    // Each bucket keeps the exemplar of the last request observed in it: one of this test's, or, in a
    // bucket this run did not reach, one of the other version's run (the registry is shared).
    const loadSpans = new Map((await signals.serverSpans()).map((span) => [span.spanContext().traceId, span]));
    for (const { exemplar } of exemplars) {
      const span = loadSpans.get(exemplar!.labels.trace_id!);
      expect(span?.attributes.correlation_id).toMatch(/^e[45]-load-\d+$/);
      expect(span?.attributes['http.route']).toBe(route);
    }
    expect(exemplars.some(({ exemplar }) => byTrace.has(exemplar!.labels.trace_id!))).toBe(true);
  });

  it('continues an incoming traceparent and keeps the tracestate', async () => {
    const id = `${tag}-traceparent`;
    await send(`${server.url}/api/orders/1/fills/2`, {
      headers: {
        'x-correlation-id': id,
        traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
        tracestate: 'vendor=v1',
      },
    });
    await until(async () => (await spansOf([id])).length === 1, 'the server span');
    const [span] = await spansOf([id]);
    expect(span!.spanContext().traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(span!.parentSpanContext?.spanId).toBe('00f067aa0ba902b7');
    expect(span!.spanContext().traceState?.get('vendor')).toBe('v1');
    expect(span!.name).toBe('GET /api/orders/:orderId/fills/:fid');
  });

  it('replaces malformed or hostile correlation IDs and traceparents, never echoing them', async () => {
    const rejectedBefore = correlationIdStats().rejected;
    const linesBefore = signals.accessLines().length;
    const hostile = ['x'.repeat(129), 'has space', 'semi;colon', 'ünïcode', '<script>'];
    for (const value of hostile) {
      const reply = await send(`${server.url}/quotes/AAPL`, {
        headers: { 'x-correlation-id': value, traceparent: '00-XYZ-00f067aa0ba902b7-01' },
      });
      expect(reply.status).toBe(200);
      expect(reply.headers['x-correlation-id']).toMatch(/^[0-9a-f-]{36}$/);
    }
    // Bytes Node's client refuses to send, on a raw socket: obs-text reaches the app and is
    // replaced; CR/LF inside a value cannot be sent at all (it ends the header), and a control
    // byte is refused by Node's parser with a 400 before any middleware runs.
    const raw = await sendRaw(
      server.port,
      'GET /quotes/AAPL HTTP/1.1\r\nHost: x\r\nX-Correlation-Id: abc\xffdef\r\ntraceparent: 00-4bf92f3577b34da6a3ce929d0e0e4736-00F067AA0BA902B7-01',
    );
    expect(raw).toMatch(/^HTTP\/1.1 200/);
    expect(raw).not.toContain('abc\xffdef');
    expect(raw).toMatch(/x-correlation-id: [0-9a-f-]{36}\r\n/i);
    const control = await sendRaw(server.port, 'GET /quotes/AAPL HTTP/1.1\r\nHost: x\r\nX-Correlation-Id: abc\x01def');
    expect(control).toMatch(/^HTTP\/1.1 400/);
    expect(correlationIdStats().rejected - rejectedBefore).toBe(hostile.length + 1);
    await until(() => signals.accessLines().length === linesBefore + hostile.length + 1, 'the lines');
    const lines = signals.accessLines().slice(linesBefore);
    for (const line of lines) {
      expect(line['http.route']).toBe('/quotes/:symbol');
      expect(line.correlation_id).toMatch(/^[0-9a-f-]{36}$/);
      expect(JSON.stringify(line)).not.toMatch(/script|abc.def|has space|semi;colon/);
    }
    const spans = await spansOf(lines.map((line) => line.correlation_id as string));
    expect(spans).toHaveLength(hostile.length + 1);
    // An invalid traceparent (wrong hex, upper-case hex) starts a new trace.
    for (const span of spans) {
      expect(span.parentSpanContext).toBeUndefined();
      expect(span.spanContext().traceId).not.toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    }
  });

  it('answers handler errors with a 500 carrying the correlation ID, one error line with the real stack, and the full template', async () => {
    const cases = [
      {
        path: '/api/orders/7/fills/1/fail',
        type: 'TypeError',
        message: 'fill ledger unavailable',
        route: '/api/orders/:orderId/fills/:fid/fail',
      },
      {
        path: '/api/orders/7/fills/1/next-error',
        type: 'RangeError',
        message: 'fill price out of band',
        route: '/api/orders/:orderId/fills/:fid/next-error',
      },
      // Express 4 ignores a rejected async handler (see the next test); Express 5 forwards it.
      ...(version.major === 5
        ? [
            {
              path: '/api/orders/7/fills/1/reject',
              type: 'SyntaxError',
              message: 'fill message malformed',
              route: '/api/orders/:orderId/fills/:fid/reject',
            },
          ]
        : []),
    ];
    const seenBefore = orderApp.errorsSeenByApp.length;
    const before = await signals.samples();
    const ids = cases.map((item) => `${tag}-error-${item.type}`);
    for (const [index, item] of cases.entries()) {
      const reply = await send(`${server.url}${item.path}`, { headers: { 'x-correlation-id': ids[index]! } });
      expect(reply.status).toBe(500);
      expect(JSON.parse(reply.body)).toEqual({ error: 'internal_error', correlationId: ids[index] });
      expect(reply.body).not.toContain(item.message);
    }
    await until(() => linesOf(ids).length === cases.length, 'the lines');
    const errorLines = signals
      .lines()
      .filter((line) => ids.includes(line.correlation_id as string) && line['log.level'] === 'error');
    expect(errorLines).toHaveLength(cases.length);
    for (const [index, item] of cases.entries()) {
      const line = errorLines.find((candidate) => candidate.correlation_id === ids[index])!;
      const error = line.error as { type: string; message: string; stack_trace: string };
      expect([
        error.type,
        error.message,
        line['http.response.status_code'],
        line['jts.operation.status'],
        line['http.route'],
      ]).toEqual([item.type, item.message, 500, 'server_error', item.route]);
      expect(error.stack_trace).toContain('order-app.ts');
    }
    // The app's own error handler saw each real error, unchanged.
    expect(orderApp.errorsSeenByApp.slice(seenBefore).map((error) => (error as Error).message)).toEqual(
      cases.map((item) => item.message),
    );
    const spans = await spansOf(ids);
    expect(spans.map((span) => [span.name, span.status.code, span.attributes['error.type']]).sort()).toEqual(
      cases.map((item) => [`GET ${item.route}`, 2, item.type]).sort(),
    );
    const after = await signals.samples();
    for (const item of cases)
      expect(
        countOf(after, { route: item.route, status_code: '500', outcome: 'server_error' }) -
          countOf(before, { route: item.route, status_code: '500', outcome: 'server_error' }),
      ).toBe(1);
  });

  it('records a client that aborts mid-request as aborted in the line, the span and the histogram', async () => {
    const route = '/api/orders/:orderId/slow';
    const before = countOf(await signals.samples(), { route, status_code: 'none', outcome: 'aborted' });
    const linesBefore = signals.accessLines().length;
    await abortAfterStart(`${server.url}/api/orders/9/slow`, orderApp.slowStarted());
    await until(() => signals.accessLines().length === linesBefore + 1, 'the access line');
    const line = signals.accessLines().at(-1)!;
    expect(line).toMatchObject({ 'jts.operation.status': 'aborted', 'log.level': 'warn', 'http.route': route });
    expect(line['http.response.status_code']).toBeUndefined();
    const [span] = await spansOf([line.correlation_id as string]);
    expect([
      span!.name,
      span!.attributes['jts.operation.outcome'],
      span!.attributes['http.response.status_code'],
    ]).toEqual([`GET ${route}`, 'aborted', undefined]);
    expect(countOf(await signals.samples(), { route, status_code: 'none', outcome: 'aborted' }) - before).toBe(1);
    // The handler's late end() makes no second line.
    await new Promise((resolve) => setTimeout(resolve, 350));
    expect(signals.accessLines()).toHaveLength(linesBefore + 1);
  });

  it('gives an auth rejection (401, 403) its status in the line, the span and the histogram, under the route template', async () => {
    const route = '/api/orders';
    const before = await signals.samples();
    const unauthenticated = await send(`${server.url}/api/orders`, {
      method: 'POST',
      headers: { 'x-correlation-id': `${tag}-401`, 'content-type': 'application/json' },
      body: '{}',
    });
    const forbidden = await send(`${server.url}/api/orders`, {
      method: 'POST',
      headers: { 'x-correlation-id': `${tag}-403`, 'x-role': 'viewer', 'content-type': 'application/json' },
      body: '{}',
    });
    const accepted = await send(`${server.url}/api/orders/`, {
      method: 'POST',
      headers: { 'x-correlation-id': `${tag}-201`, 'x-role': 'trader', 'content-type': 'application/json' },
      body: '{"symbol":"AAPL"}',
    });
    expect([unauthenticated.status, forbidden.status, accepted.status]).toEqual([401, 403, 201]);
    const ids = [`${tag}-401`, `${tag}-403`, `${tag}-201`];
    await until(() => linesOf(ids).length === 3, 'the lines');
    const lines = Object.fromEntries(linesOf(ids).map((line) => [line.correlation_id, line]));
    expect(
      ids.map((id) => [
        lines[id]!['http.response.status_code'],
        lines[id]!['jts.operation.status'],
        lines[id]!['log.level'],
        lines[id]!['http.route'],
      ]),
    ).toEqual([
      [401, 'client_error', 'warn', route],
      [403, 'client_error', 'warn', route],
      [201, 'success', 'info', route],
    ]);
    const spans = Object.fromEntries((await spansOf(ids)).map((span) => [span.attributes.correlation_id, span]));
    expect(
      ids.map((id) => [
        spans[id]!.name,
        spans[id]!.attributes['http.response.status_code'],
        spans[id]!.attributes['jts.operation.outcome'],
      ]),
    ).toEqual([
      [`POST ${route}`, 401, 'client_error'],
      [`POST ${route}`, 403, 'client_error'],
      // A success carries no outcome attribute: only business outcomes and errors do.
      [`POST ${route}`, 201, undefined],
    ]);
    const after = await signals.samples();
    for (const status of ['401', '403'])
      expect(
        countOf(after, { method: 'POST', route, status_code: status, outcome: 'client_error' }) -
          countOf(before, { method: 'POST', route, status_code: status, outcome: 'client_error' }),
      ).toBe(1);
  });

  it('keeps the context set before express.json() through body parsing (regression)', async () => {
    const reply = await send(`${server.url}/echo`, {
      method: 'POST',
      headers: { 'x-correlation-id': `${tag}-body`, 'content-type': 'application/json' },
      body: JSON.stringify({ qty: 5, pad: 'x'.repeat(90_000) }),
    });
    const body = JSON.parse(reply.body) as { correlationId: string; body: { qty: number } };
    expect([reply.status, body.correlationId, body.body.qty]).toEqual([200, `${tag}-body`, 5]);
  });

  it("reserves the run's property before Express swaps the request's prototype: the top app's handle, wrapped once", async () => {
    const RUN = Symbol.for('jts.http.request-run.v1');
    const app = version.express();
    const sub = version.express();
    sub.use(expressMiddleware());
    sub.get('/x/:id', (_request, response) => {
      response.end('x');
    });
    app.use(expressMiddleware());
    app.use('/sub', sub);
    const handleOf = (target: object) => (target as { handle?: unknown }).handle;
    const [appHandle, subHandle] = [handleOf(app), handleOf(sub)];
    const local = await listen(app);
    // Express 5 swaps with Object.setPrototypeOf itself (Express 4 through a copy taken at load time).
    const swaps: boolean[] = [];
    const setPrototypeOf = Object.setPrototypeOf;
    const spy = vi.spyOn(Object, 'setPrototypeOf').mockImplementation((target: unknown, prototype: object | null) => {
      if (target instanceof IncomingMessage && prototype !== IncomingMessage.prototype) swaps.push(RUN in target);
      return setPrototypeOf(target, prototype);
    });
    try {
      // The first request prepares the app during its handling; the next ones are reserved.
      for (const index of [1, 2, 3])
        await send(`${local.url}/sub/x/${index}`, { headers: { 'x-correlation-id': `${tag}-reserve-${index}` } });
    } finally {
      spy.mockRestore();
      await local.close();
    }
    expect(handleOf(app)).not.toBe(appHandle);
    expect(handleOf(sub)).toBe(subHandle);
    if (version.major === 5) {
      // Two requests after the first, each swapped by the top app and again by the sub-app.
      expect(swaps.slice(-4)).toEqual([true, true, true, true]);
    }
    const lines = linesOf([1, 2, 3].map((index) => `${tag}-reserve-${index}`));
    expect(lines.map((line) => [line['http.route'], line['http.response.status_code']])).toEqual([
      ['/sub/x/:id', 200],
      ['/sub/x/:id', 200],
      ['/sub/x/:id', 200],
    ]);
  });
});
