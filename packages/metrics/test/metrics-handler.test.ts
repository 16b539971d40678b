import express from 'express';
import { Counter, Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createTradingMetrics,
  metricsHandler,
  OPENMETRICS_CONTENT_TYPE,
  PROMETHEUS_CONTENT_TYPE,
  type TradingMetrics,
} from '../src/index.js';
import { fetchRaw, listen } from './support/http.js';
import { parseExposition, sampleKey as key, sampleMap } from './support/parse-exposition.js';

let metrics: TradingMetrics | undefined;
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await metrics?.close();
  for (const close of closers.splice(0)) await close();
});

async function serve(options: Parameters<typeof metricsHandler>[0] = {}) {
  metrics = createTradingMetrics({ defaultMetrics: false, operations: false, strict: false });
  metrics.recordOrderExecution(
    { strategyId: 's', symbol: 'AAPL', exchange: 'X', side: 'buy', orderType: 'limit' },
    0.003,
  );
  const handler = metricsHandler({ registry: metrics.registry, ...options });
  const server = await listen((req, res) => handler(req, res));
  closers.push(server.close);
  return server.url;
}

describe('metricsHandler', () => {
  it('serves Prometheus text by default and OpenMetrics when the scraper asks', async () => {
    const url = await serve();
    const text = await fetchRaw(url);
    expect(text.status).toBe(200);
    expect(text.headers['content-type']).toBe(PROMETHEUS_CONTENT_TYPE);
    expect(text.body).toContain('order_execution_total{');
    expect(text.body).not.toContain('# EOF');
    const open = await fetchRaw(url, {
      headers: { accept: 'application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5,*/*;q=0.1' },
    });
    expect(open.headers['content-type']).toBe(OPENMETRICS_CONTENT_TYPE);
    expect(parseExposition(open.body).eof).toBe(true);
    expect(Number(open.headers['content-length'])).toBe(Buffer.byteLength(open.body));
  });

  it('compresses with gzip only when asked', async () => {
    const url = await serve();
    const plain = await fetchRaw(url);
    const zipped = await fetchRaw(url, { headers: { 'accept-encoding': 'gzip, deflate' } });
    const refused = await fetchRaw(url, { headers: { 'accept-encoding': 'gzip;q=0, identity' } });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.rawLength).toBeLessThan(plain.rawLength / 3);
    expect(sampleMap(zipped.body)).toEqual(sampleMap(plain.body));
    expect(refused.headers['content-encoding']).toBeUndefined();
  });

  it('answers 405 to other methods and headers only to HEAD', async () => {
    const url = await serve();
    const post = await fetchRaw(url, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe('GET, HEAD');
    const head = await fetchRaw(url, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
    expect(Number(head.headers['content-length'])).toBeGreaterThan(100);
  });

  it('checks bearer and basic credentials', async () => {
    const bearer = await serve({ auth: { bearerToken: 's3cret-token' } });
    expect((await fetchRaw(bearer)).status).toBe(401);
    expect((await fetchRaw(bearer)).headers['www-authenticate']).toBe('Bearer');
    expect((await fetchRaw(bearer, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    expect((await fetchRaw(bearer, { headers: { authorization: 'Bearer s3cret-token-longer' } })).status).toBe(401);
    expect((await fetchRaw(bearer, { headers: { authorization: 'bearer s3cret-token' } })).status).toBe(200);
    metrics?.close();
    const basic = await serve({ auth: { username: 'prom', password: 'p@ss:word' } });
    const good = Buffer.from('prom:p@ss:word').toString('base64');
    expect((await fetchRaw(basic, { headers: { authorization: `Basic ${good}` } })).status).toBe(200);
    expect(
      (await fetchRaw(basic, { headers: { authorization: `Basic ${Buffer.from('prom:nope').toString('base64')}` } }))
        .status,
    ).toBe(401);
    expect((await fetchRaw(basic)).headers['www-authenticate']).toBe('Basic realm="metrics"');
  });

  it('reads credentials from JTS_METRICS_BEARER_TOKEN', async () => {
    process.env.JTS_METRICS_BEARER_TOKEN = 'from-env';
    try {
      const url = await serve();
      expect((await fetchRaw(url)).status).toBe(401);
      expect((await fetchRaw(url, { headers: { authorization: 'Bearer from-env' } })).status).toBe(200);
    } finally {
      delete process.env.JTS_METRICS_BEARER_TOKEN;
    }
  });

  it('reads JTS_METRICS_BASIC_AUTH from the env option instead of process.env', async () => {
    const url = await serve({ env: { JTS_METRICS_BASIC_AUTH: 'prom:p@ss:word' } });
    const response = await fetchRaw(url);
    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toBe('Basic realm="metrics"');
    expect(
      (await fetchRaw(url, { headers: { authorization: `Basic ${Buffer.from('prom:p@ss:word').toString('base64')}` } }))
        .status,
    ).toBe(200);
  });

  it('never throws into the server: a failing collector answers 500 and is counted', async () => {
    const url = await serve();
    let fail = true;
    new Counter({
      name: 'flaky_total',
      help: 'A metric whose collect hook throws.',
      registers: [metrics!.registry],
      collect() {
        if (fail) throw new Error('collector exploded');
      },
    });
    const broken = await fetchRaw(url);
    expect(broken.status).toBe(500);
    expect(broken.body).not.toContain('exploded');
    fail = false;
    const samples = sampleMap((await fetchRaw(url)).body);
    expect(samples.get(key('jts_metrics_scrape_errors_total'))).toBe(1);
    expect(samples.get(key('flaky_total'))).toBe(0);
  });

  it('works as Express middleware', async () => {
    metrics = createTradingMetrics({ defaultMetrics: false, operations: false });
    metrics.setStrategyWinRate({ strategyId: 's' }, 0.5);
    const app = express();
    app.get('/metrics', metricsHandler({ registry: metrics.registry }));
    app.get('/health', (_req, res) => {
      res.send('ok');
    });
    const server = await listen(app);
    closers.push(server.close);
    const response = await fetchRaw(`${server.url}/metrics`);
    expect(sampleMap(response.body).get(key('strategy_win_rate', { strategy_id: 's' }))).toBe(0.5);
    expect((await fetchRaw(`${server.url}/health`)).body).toBe('ok');
  });

  it('needs a registry unless in cluster mode', () => {
    expect(() => metricsHandler({})).toThrow(expect.objectContaining({ code: 'JTS_ERR_INVALID_OPTION' }));
    expect(typeof metricsHandler({ registry: new Registry() })).toBe('function');
  });

  it('rejects every bad option with a JtsError naming it (and its variable)', () => {
    const registry = new Registry();
    const cases: [Parameters<typeof metricsHandler>[0], RegExp][] = [
      [{ registry: {} as never }, /^Invalid option registry: expected a prom-client Registry/],
      [
        { registry, auth: { bearerToken: '' } },
        /^Invalid option auth: .*JTS_METRICS_BEARER_TOKEN or JTS_METRICS_BASIC_AUTH/,
      ],
      [{ registry, auth: { username: 'prom' } as never }, /^Invalid option auth: /],
      [{ registry, auth: 'token' as never }, /^Invalid option auth: /],
      [{ registry, gzip: 'no' as never }, /^Invalid option gzip: must be a boolean/],
      [{ registry, openMetrics: 0 as never }, /^Invalid option openMetrics: must be a boolean/],
      [{ registry, cluster: 'true' as never }, /^Invalid option cluster: must be a boolean/],
      [{ registry, env: 42 as never }, /^Invalid option env: /],
      // Ignoring malformed credentials would serve the metrics without the protection the operator set.
      [
        { registry, env: { JTS_METRICS_BASIC_AUTH: 'just-a-password' } },
        /^Invalid JTS_METRICS_BASIC_AUTH for option auth: expected user:password/,
      ],
    ];
    for (const [options, message] of cases) {
      expect(() => metricsHandler(options), String(message)).toThrow(
        expect.objectContaining({ code: 'JTS_ERR_INVALID_OPTION', message: expect.stringMatching(message) }),
      );
    }
  });
});
