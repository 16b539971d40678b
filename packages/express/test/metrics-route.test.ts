import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTradingMetrics, metricsHandler } from '@jts/metrics';
import { expressMiddleware, metricsRoute } from '@jts/express';
import { type Listening, type Signals, listen, send, startSignals, until } from '../../http/test/support/signals.js';
import { EXPRESS_VERSIONS } from './support/express-versions.js';

let signals: Signals;
beforeAll(() => {
  signals = startSignals();
});
afterAll(() => signals.close());

describe.each(EXPRESS_VERSIONS)('metricsRoute on $name', ({ express, major }) => {
  let server: Listening;
  let metrics: ReturnType<typeof createTradingMetrics>;
  beforeAll(async () => {
    // Created here, not when the file is collected, so it observes this version's requests only.
    metrics = createTradingMetrics({ defaultMetrics: false });
    const app = express();
    app.use(expressMiddleware({ exclude: ['/metrics', '/internal/metrics'] }));
    app.use(metricsRoute(metricsHandler({ registry: metrics.registry, auth: { bearerToken: `token-${major}` } })));
    app.use('/internal', metricsRoute(metricsHandler({ registry: metrics.registry }), { path: '/metrics' }));
    app.get('/orders/:id', (_request, response) => {
      response.send('order');
    });
    server = await listen(app as never);
  });
  afterAll(async () => {
    await server.close();
    metrics.close();
  });

  it('serves the registry with the auth of @jts/metrics, and the scrapes stay out of the signals', async () => {
    const linesBefore = signals.accessLines().length;
    await send(`${server.url}/orders/1`);
    const anonymous = await send(`${server.url}/metrics`);
    const wrong = await send(`${server.url}/metrics`, { headers: { authorization: 'Bearer nope' } });
    const scrape = await send(`${server.url}/metrics`, { headers: { authorization: `Bearer token-${major}` } });
    const post = await send(`${server.url}/metrics`, {
      method: 'POST',
      headers: { authorization: `Bearer token-${major}` },
    });
    const mounted = await send(`${server.url}/internal/metrics?debug=1`);
    expect([anonymous.status, wrong.status, scrape.status, post.status, mounted.status]).toEqual([
      401, 401, 200, 405, 200,
    ]);
    expect(scrape.body).toContain(
      'api_request_duration_seconds_count{method="GET",route="/orders/:id",status_code="200",outcome="success"} 1',
    );
    expect(mounted.body).toContain('# TYPE api_request_duration_seconds histogram');
    await until(() => signals.accessLines().length > linesBefore, 'the order line');
    expect(
      signals
        .accessLines()
        .slice(linesBefore)
        .map((line) => line['url.path']),
    ).toEqual(['/orders/1']);
  });

  it('rejects what is not a handler, and a path without a leading slash', () => {
    expect(() => metricsRoute({ registry: metrics.registry } as never)).toThrowError(
      expect.objectContaining({ code: 'JTS_ERR_INVALID_OPTION', message: expect.stringContaining('metricsHandler') }),
    );
    expect(() => metricsRoute(() => {}, { path: 'metrics' })).toThrowError(
      expect.objectContaining({ code: 'JTS_ERR_INVALID_OPTION' }),
    );
  });
});
