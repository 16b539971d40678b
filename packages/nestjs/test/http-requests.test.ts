import { request } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ShapeKeeper, engineSplitsShapes, shapeKeeperOf } from '@jts/http';
import { type Reply, type Signals, send, sendRaw, startSignals, until } from '../../http/test/support/signals.js';
import { PLATFORMS, type Platform, type RunningApp, startOrdersApp } from './support/orders-app.js';

// One set of real signals and one application per platform for the whole file: each platform's
// routes carry its name as global prefix, so its series never mix with the other's.
let signals: Signals;
const apps = new Map<Platform, RunningApp>();
beforeAll(async () => {
  signals = startSignals();
  for (const platform of PLATFORMS)
    apps.set(
      platform,
      await startOrdersApp(platform, { logger: signals.logger, metrics: signals.metrics, tracing: signals.tracing }),
    );
});
afterAll(async () => {
  for (const app of apps.values()) await app.close();
  await signals?.close();
});

type Samples = Awaited<ReturnType<Signals['samples']>>;
const count = (samples: Samples, labels: Record<string, string>) =>
  samples.find(
    (sample) =>
      sample.name === 'api_request_duration_seconds_count' &&
      Object.entries(labels).every(([key, value]) => sample.labels[key] === value),
  )?.value ?? 0;
const linesOf = (id: string) => signals.lines().filter((line) => line.correlation_id === id);
const accessLineOf = (id: string) => signals.accessLines().find((line) => line.correlation_id === id);
const serverSpanOf = async (id: string) =>
  (await signals.serverSpans()).find((span) => span.attributes.correlation_id === id);
const get = (platform: Platform, path: string, headers: Record<string, string> = {}): Promise<Reply> =>
  send(`${apps.get(platform)!.url}/${platform}${path}`, { headers });

it('serves 1,000 concurrent requests per platform, both platforms at once, each line, span and exemplar with its own correlation ID', async () => {
  const ids = (platform: Platform) => Array.from({ length: 1000 }, (_unused, index) => `${platform}-load-${index}`);
  const replies = await Promise.all(
    PLATFORMS.map((platform) =>
      Promise.all(ids(platform).map((id, index) => get(platform, `/orders/${index}`, { 'x-correlation-id': id }))),
    ),
  );
  const spans = await signals.spans();
  const samples = await signals.samples();
  for (const [at, platform] of PLATFORMS.entries()) {
    const expected = ids(platform);
    // The echoed header and the correlation ID the handler saw are the request's own.
    expect(
      replies[at]!.map((reply) => [reply.headers['x-correlation-id'], JSON.parse(reply.body).correlationId]),
    ).toEqual(expected.map((id) => [id, id]));
    const lines = signals
      .accessLines()
      .filter((line) => (line.correlation_id as string).startsWith(`${platform}-load-`));
    expect(lines).toHaveLength(1000);
    for (const line of lines)
      expect(line['url.path']).toBe(
        `/${platform}/orders/${(line.correlation_id as string).slice(platform.length + 6)}`,
      );
    const orderLines = signals
      .lines()
      .filter(
        (line) =>
          line['event.action'] === 'order.execution' && (line.correlation_id as string).startsWith(`${platform}-load-`),
      );
    expect(orderLines).toHaveLength(1000);
    for (const line of orderLines)
      expect(line['trading.order_id']).toBe(`o-${(line.correlation_id as string).slice(platform.length + 6)}`);
    const serverSpans = spans.filter(
      (span) => span.kind === 1 && (span.attributes.correlation_id as string).startsWith(`${platform}-load-`),
    );
    expect(new Set(serverSpans.map((span) => span.attributes.correlation_id))).toEqual(new Set(expected));
    expect(new Set(serverSpans.map((span) => span.name))).toEqual(new Set([`GET /${platform}/orders/:id`]));
    // The @TraceOrder span of each request is the child of that request's server span.
    const byTrace = new Map(serverSpans.map((span) => [span.spanContext().traceId, span]));
    const orderSpans = spans.filter(
      (span) => span.name === 'order.execution' && byTrace.has(span.spanContext().traceId),
    );
    expect(orderSpans).toHaveLength(1000);
    for (const span of orderSpans) {
      const parent = byTrace.get(span.spanContext().traceId)!;
      expect([span.parentSpanContext?.spanId, span.attributes.correlation_id]).toEqual([
        parent.spanContext().spanId,
        parent.attributes.correlation_id,
      ]);
    }
    expect(
      count(samples, { method: 'GET', route: `/${platform}/orders/:id`, status_code: '200', outcome: 'success' }),
    ).toBe(1000);
    const exemplars = samples.filter(
      (sample) =>
        sample.name === 'api_request_duration_seconds_bucket' &&
        sample.labels.route === `/${platform}/orders/:id` &&
        sample.exemplar !== undefined,
    );
    expect(exemplars.length).toBeGreaterThan(0);
    for (const { exemplar } of exemplars) expect(byTrace.has(exemplar!.labels.trace_id!)).toBe(true);
  }
});

describe.each(PLATFORMS)('on %s', (platform) => {
  it('continues an incoming traceparent', async () => {
    await get(platform, '/orders/tp', {
      'x-correlation-id': `${platform}-tp`,
      traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
      tracestate: 'vendor=v1',
    });
    const span = await serverSpanOf(`${platform}-tp`);
    expect([
      span!.spanContext().traceId,
      span!.parentSpanContext?.spanId,
      span!.spanContext().traceState?.get('vendor'),
    ]).toEqual(['4bf92f3577b34da6a3ce929d0e0e4736', '00f067aa0ba902b7', 'v1']);
  });

  it('replaces hostile correlation IDs and traceparents, never echoing them', async () => {
    const hostile = ['x'.repeat(129), 'has space', 'semi;colon', '<script>'];
    for (const value of hostile) {
      const reply = await get(platform, '/orders/h', {
        'x-correlation-id': value,
        traceparent: '00-XYZ-00f067aa0ba902b7-01',
      });
      expect(reply.headers['x-correlation-id']).toMatch(/^[0-9a-f-]{36}$/);
      expect(JSON.parse(reply.body).correlationId).toBe(reply.headers['x-correlation-id']);
      const span = await serverSpanOf(reply.headers['x-correlation-id'] as string);
      expect(span!.parentSpanContext).toBeUndefined();
    }
    // Bytes Node's client refuses to send: obs-text reaches the application and is replaced; CR/LF
    // inside a value and control bytes are refused by Node's parser before any handler runs.
    const port = apps.get(platform)!.port;
    const raw = await sendRaw(port, `GET /${platform}/orders/raw HTTP/1.1\r\nHost: x\r\nX-Correlation-Id: abc\xffdef`, {
      keepOpen: true,
    });
    expect(raw).toMatch(/^HTTP\/1.1 200/);
    expect(raw).not.toContain('abc\xffdef');
    expect(raw).toMatch(/x-correlation-id: [0-9a-f-]{36}/i);
    for (const smuggled of ['abc\x01def', 'abc\rX-Injected: yes']) {
      const refused = await sendRaw(
        port,
        `GET /${platform}/orders/raw HTTP/1.1\r\nHost: x\r\nX-Correlation-Id: ${smuggled}`,
        { keepOpen: true },
      );
      expect(refused).toMatch(/^HTTP\/1.1 400/);
      expect(refused).not.toMatch(/abc.def|X-Injected/);
    }
    for (const line of signals.accessLines())
      expect(JSON.stringify(line)).not.toMatch(/script|abc.def|has space|semi;colon/);
  });

  it('answers a handler error with a 500 carrying the correlation ID, and writes exactly one error line', async () => {
    const id = `${platform}-fail`;
    const reply = await get(platform, '/orders/9/fail', { 'x-correlation-id': id });
    expect([reply.status, reply.headers['x-correlation-id'], JSON.parse(reply.body)]).toEqual([
      500,
      id,
      { statusCode: 500, message: 'Internal server error', correlationId: id },
    ]);
    await until(() => accessLineOf(id) !== undefined, 'the access line');
    const errors = linesOf(id).filter((line) => line['log.level'] === 'error');
    expect(
      errors.map((line) => [
        line['event.action'],
        (line.error as { type: string }).type,
        line['http.response.status_code'],
        line['jts.operation.status'],
      ]),
    ).toEqual([['http.server.request', 'TypeError', 500, 'server_error']]);
    expect((errors[0]!.error as { stack_trace: string }).stack_trace).toContain('bad order payload');
    const span = await serverSpanOf(id);
    expect([span!.status.code, span!.attributes['error.type'], span!.name]).toEqual([
      2,
      'TypeError',
      `GET /${platform}/orders/:id/fail`,
    ]);
    expect(
      count(await signals.samples(), {
        route: `/${platform}/orders/:id/fail`,
        status_code: '500',
        outcome: 'server_error',
      }),
    ).toBe(1);
  });

  it('records a status an exception filter sets (HttpException 418) as the client error it is', async () => {
    const id = `${platform}-teapot`;
    const reply = await get(platform, '/orders/9/teapot', { 'x-correlation-id': id });
    expect([reply.status, JSON.parse(reply.body)]).toEqual([418, { statusCode: 418, message: 'short and stout' }]);
    await until(() => accessLineOf(id) !== undefined, 'the access line');
    expect(accessLineOf(id)).toMatchObject({
      'http.response.status_code': 418,
      'jts.operation.status': 'client_error',
      'log.level': 'warn',
    });
    expect(accessLineOf(id)!.error).toBeUndefined();
    expect(
      count(await signals.samples(), {
        route: `/${platform}/orders/:id/teapot`,
        status_code: '418',
        outcome: 'client_error',
      }),
    ).toBe(1);
  });

  it('records guard rejections (401, 403) with their status and route template in all three signals', async () => {
    const unauthorized = await get(platform, '/orders/5/cancel', { 'x-correlation-id': `${platform}-401` });
    const forbidden = await get(platform, '/orders/5/cancel', {
      'x-correlation-id': `${platform}-403`,
      authorization: 'Bearer t',
      'x-role': 'trader',
    });
    expect([unauthorized.status, forbidden.status]).toEqual([401, 403]);
    // The guard ran in the request's context.
    expect(JSON.parse(forbidden.body).message).toBe(`guard saw ${platform}-403`);
    await until(() => accessLineOf(`${platform}-403`) !== undefined, 'the access lines');
    for (const [id, status] of [
      [`${platform}-401`, 401],
      [`${platform}-403`, 403],
    ] as const) {
      expect(accessLineOf(id)).toMatchObject({
        'http.route': `/${platform}/orders/:id/cancel`,
        'http.response.status_code': status,
        'jts.operation.status': 'client_error',
      });
      const span = await serverSpanOf(id);
      expect([
        span!.name,
        span!.attributes['http.response.status_code'],
        span!.attributes['jts.operation.outcome'],
      ]).toEqual([`GET /${platform}/orders/:id/cancel`, status, 'client_error']);
    }
    const samples = await signals.samples();
    expect(
      [401, 403].map((status) =>
        count(samples, {
          route: `/${platform}/orders/:id/cancel`,
          status_code: String(status),
          outcome: 'client_error',
        }),
      ),
    ).toEqual([1, 1]);
  });

  it('records a client that aborts mid-request as aborted in the line, the span and the histogram', async () => {
    const app = apps.get(platform)!;
    const id = `${platform}-abort`;
    const outgoing = request(`${app.url}/${platform}/orders/1/slow`, {
      agent: false,
      headers: { 'x-correlation-id': id },
    });
    outgoing.on('error', () => {});
    const started = app.slowStarted();
    outgoing.end();
    await started;
    outgoing.destroy();
    await until(() => accessLineOf(id) !== undefined, 'the access line');
    expect(accessLineOf(id)).toMatchObject({
      'jts.operation.status': 'aborted',
      'log.level': 'warn',
      'http.route': `/${platform}/orders/:id/slow`,
    });
    expect(accessLineOf(id)!['http.response.status_code']).toBeUndefined();
    const span = await serverSpanOf(id);
    expect([span!.attributes['jts.operation.outcome'], span!.attributes['http.response.status_code']]).toEqual([
      'aborted',
      undefined,
    ]);
    expect(
      count(await signals.samples(), {
        route: `/${platform}/orders/:id/slow`,
        status_code: 'none',
        outcome: 'aborted',
      }),
    ).toBe(1);
    // The handler's late answer makes no second line.
    await new Promise((resolve) => setTimeout(resolve, 350));
    expect(signals.accessLines().filter((line) => line.correlation_id === id)).toHaveLength(1);
  });

  it('keeps the context across body parsing, and records a body the parser rejects', async () => {
    const app = apps.get(platform)!;
    const json = { 'content-type': 'application/json' };
    const created = await send(`${app.url}/${platform}/orders`, {
      method: 'POST',
      headers: { ...json, 'x-correlation-id': `${platform}-post` },
      body: JSON.stringify({ id: 'n-1' }),
    });
    expect([created.status, JSON.parse(created.body)]).toEqual([
      201,
      { received: 'n-1', correlationId: `${platform}-post` },
    ]);
    // A body that arrives in a later TCP packet is read on the socket's events, outside the request's context.
    const body = JSON.stringify({ id: 'slow-body' });
    const slow = await new Promise<string>((resolve, reject) => {
      const socket = connect(app.port, '127.0.0.1', () => {
        socket.write(
          `POST /${platform}/orders HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nX-Correlation-Id: ${platform}-slow-body\r\nConnection: close\r\n\r\n${body.slice(0, 5)}`,
        );
        setTimeout(() => socket.write(body.slice(5)), 30);
      });
      const chunks: Buffer[] = [];
      socket.on('data', (chunk: Buffer) => chunks.push(chunk));
      socket.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      socket.on('error', reject);
    });
    expect(JSON.parse(slow.slice(slow.indexOf('\r\n\r\n') + 4))).toEqual({
      received: 'slow-body',
      correlationId: `${platform}-slow-body`,
    });
    const malformed = await send(`${app.url}/${platform}/orders`, {
      method: 'POST',
      headers: { ...json, 'x-correlation-id': `${platform}-bad-json` },
      body: '{"id":',
    });
    expect([malformed.status, malformed.headers['x-correlation-id']]).toEqual([400, `${platform}-bad-json`]);
    await until(() => accessLineOf(`${platform}-bad-json`) !== undefined, 'the access line');
    expect(accessLineOf(`${platform}-bad-json`)).toMatchObject({
      'http.response.status_code': 400,
      'jts.operation.status': 'client_error',
    });
  });

  it('labels unmatched requests with one template and excluded paths with nothing', async () => {
    const before = signals.accessLines().length;
    const probes = await Promise.all([
      send(`${apps.get(platform)!.url}/healthz`),
      get(platform, '/no/such/route/1'),
      get(platform, '/no/such/route/2'),
    ]);
    expect(probes.map((reply) => reply.status)).toEqual([200, 404, 404]);
    expect(probes[0]!.headers['x-correlation-id']).toBeUndefined();
    await until(() => signals.accessLines().length === before + 2, 'two access lines');
    const text = await signals.exposition();
    expect(text).not.toMatch(/healthz|no\/such/);
    expect((await signals.serverSpans()).some((span) => span.attributes['url.path'] === '/healthz')).toBe(false);
    expect(count(await signals.samples(), { route: 'unmatched', status_code: '404' })).toBeGreaterThanOrEqual(2);
  });

  it("writes Nest's own logs as structured lines through JtsLoggerService", () => {
    const mapped = signals.lines().filter((line) => line['nest.context'] === 'RouterExplorer');
    expect(mapped.map((line) => line.message)).toContain(`Mapped {/${platform}/orders/:id, GET} route`);
    expect(mapped.every((line) => line['log.level'] === 'info' && line['service.name'] === 'adapter-test')).toBe(true);
  });
});

it("keeps the Express platform's requests on shared hidden classes: the properties Express and Nest add after the swap are learned and given first", async () => {
  const running = apps.get('express')!;
  const instance = running.app.getHttpAdapter().getInstance() as object;
  for (let index = 0; index < 3; index++) expect((await get('express', `/orders/${index}`)).status).toBe(200);
  const keeper = shapeKeeperOf(instance);
  // Node 24's V8 keeps one hidden class by itself: there the option defaults to off.
  if (!engineSplitsShapes()) return expect(keeper).toBeUndefined();
  expect(keeper).toBeInstanceOf(ShapeKeeper);
  await until(() => keeper!.keys.request.includes('params'), 'the learned keys');
  expect(keeper!.keys.request).toEqual(expect.arrayContaining(['params', 'route', 'body']));
  expect(keeper!.keys.response).toEqual(expect.arrayContaining(['locals']));
  // The property of the request's run is given before the swap by the same wrapper, never learned.
  expect(keeper!.keys.request.some((key) => String(key).includes('jts.http.request-run'))).toBe(false);
});
