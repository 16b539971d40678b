import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer } from 'node:http';
import { httpStats, instrumentServer } from '@jts/http';
import { type Listening, type Signals, listen, send, startSignals, until } from '../../http/test/support/signals.js';
import { EXPRESS_VERSIONS } from './support/express-versions.js';
import { createOrderApp } from './support/order-app.js';

let signals: Signals;
beforeAll(() => {
  signals = startSignals();
});
afterAll(() => signals.close());

describe.each(EXPRESS_VERSIONS)('route templates on $name: captured while routing, never a real value', (version) => {
  let server: Listening;
  const tag = `t${version.major}`;
  beforeAll(async () => {
    server = await listen(createOrderApp(version).app);
  });
  afterAll(() => server.close());

  const cases: readonly (readonly [what: string, path: string, status: number, route: string])[] = [
    ['a route of the base router', '/quotes/AAPL', 200, '/quotes/:symbol'],
    ['the other path of an array of paths', '/prices/MSFT', 200, '/prices/:symbol'],
    ['a regex route, as its literal', '/legacy/orders/42', 200, '/^\\/legacy\\/orders\\/(\\d+)$/'],
    ['a route of a mounted router', '/api/orders/3', 200, '/api/orders/:orderId'],
    ['a router mounted on a parameterised path', '/api/orders/3/fills/77', 200, '/api/orders/:orderId/fills/:fid'],
    ['the same, asked in other letter case', '/API/Orders/4/FILLS/78', 200, '/api/orders/:orderId/fills/:fid'],
    [
      'an error thrown in the nested router',
      '/api/orders/3/fills/77/fail',
      500,
      '/api/orders/:orderId/fills/:fid/fail',
    ],
    [
      'an error passed to next in the nested router',
      '/api/orders/3/fills/77/next-error',
      500,
      '/api/orders/:orderId/fills/:fid/next-error',
    ],
    [
      'a sub-app with its own middleware, mounted on a parameterised path',
      '/tenants/acme/reports/daily/2026-11-20',
      200,
      '/tenants/:tenant/reports/daily/:day',
    ],
    ['a 404', '/nope/123', 404, 'unmatched'],
    ['a 404 under a mounted router', '/api/orders/3/fills/77/nope/9', 404, 'unmatched'],
  ];

  it('labels every request with its template in the line, the span name and the histogram', async () => {
    const ids = cases.map((_item, index) => `${tag}-route-${index}`);
    const replies = await Promise.all(
      cases.map(([, path], index) => send(`${server.url}${path}`, { headers: { 'x-correlation-id': ids[index]! } })),
    );
    expect(replies.map((reply) => reply.status)).toEqual(cases.map(([, , status]) => status));
    await until(
      () => signals.accessLines().filter((line) => ids.includes(line.correlation_id as string)).length === cases.length,
      'the lines',
    );
    const lines = new Map(signals.accessLines().map((line) => [line.correlation_id, line]));
    const spans = new Map((await signals.serverSpans()).map((span) => [span.attributes.correlation_id, span]));
    const got = cases.map(([what, path], index) => {
      const line = lines.get(ids[index]);
      return [what, line?.['http.route'] ?? 'unmatched', spans.get(ids[index])?.name, line?.['url.path'] === path];
    });
    expect(got).toEqual(
      cases.map(([what, , , route]) => [what, route, route === 'unmatched' ? 'GET' : `GET ${route}`, true]),
    );
    // One line per request: the sub-app's second middleware served nothing twice.
    expect(signals.accessLines().filter((line) => ids.includes(line.correlation_id as string))).toHaveLength(
      cases.length,
    );
    const exposition = await signals.exposition();
    expect(exposition).not.toMatch(/route="[^"]*(?:AAPL|MSFT|\/3|\/77|acme|2026|123|42)/);
  });

  it('counts a request once when the middleware is installed twice (a sub-app)', async () => {
    const before = httpStats().requests;
    await send(`${server.url}/tenants/acme/reports/daily/1`);
    expect(httpStats().requests - before).toBe(1);
  });

  it('routes a request that instrumentServer already runs, without starting a second run', async () => {
    const server = createServer(createOrderApp(version).app);
    instrumentServer(server);
    const wrapped = await listen(server);
    try {
      const id = `${tag}-wrapped-1`;
      const before = httpStats().requests;
      const reply = await send(`${wrapped.url}/api/orders/3/fills/77`, { headers: { 'x-correlation-id': id } });
      expect(reply.status).toBe(200);
      expect(httpStats().requests - before).toBe(1);
      await until(() => signals.accessLines().some((line) => line.correlation_id === id), 'the line');
      const lines = signals.accessLines().filter((line) => line.correlation_id === id);
      expect(lines.map((line) => line['http.route'])).toEqual(['/api/orders/:orderId/fills/:fid']);
      // A handler error under the server's run: the error handler records it on that run, once.
      const failing = `${tag}-wrapped-fail`;
      const failed = await send(`${wrapped.url}/api/orders/3/fills/77/fail`, {
        headers: { 'x-correlation-id': failing },
      });
      expect([failed.status, JSON.parse(failed.body)]).toEqual([
        500,
        { error: 'internal_error', correlationId: failing },
      ]);
      await until(() => signals.accessLines().some((line) => line.correlation_id === failing), 'the error line');
      const errorLines = signals.accessLines().filter((line) => line.correlation_id === failing);
      expect(
        errorLines.map((line) => [
          line['log.level'],
          (line.error as { type?: string } | undefined)?.type,
          line['http.route'],
          line['jts.operation.status'],
        ]),
      ).toEqual([['error', 'TypeError', '/api/orders/:orderId/fills/:fid/fail', 'server_error']]);
    } finally {
      await wrapped.close();
    }
  });
});
