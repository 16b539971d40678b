import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Listening, type Signals, listen, send, startSignals, until } from '../../http/test/support/signals.js';
import { EXPRESS_VERSIONS } from './support/express-versions.js';
import { createOrderApp } from './support/order-app.js';

const express4 = EXPRESS_VERSIONS.find((version) => version.major === 4)!;

describe('Express 4 and a rejected async handler (documented: Express 4 does not catch it)', () => {
  let signals: Signals;
  let server: Listening;
  const saved = process.listeners('unhandledRejection');
  const unhandled: unknown[] = [];
  const keep = (reason: unknown) => unhandled.push(reason);
  beforeAll(() => {
    signals = startSignals();
    // The rejection stays unhandled, as it is without @jts/express: watch it here instead of
    // letting the test runner report it.
    process.removeAllListeners('unhandledRejection');
    process.on('unhandledRejection', keep);
  });
  afterAll(async () => {
    process.off('unhandledRejection', keep);
    for (const listener of saved) process.on('unhandledRejection', listener);
    await signals.close();
  });

  it('leaves the rejection unhandled and unseen by the app, and closes the request out with the real error', async () => {
    const orderApp = createOrderApp(express4, { requestTimeoutMs: 200 });
    server = await listen(orderApp.app);
    const reply = send(`${server.url}/api/orders/5/fills/6/reject`, {
      headers: { 'x-correlation-id': 'e4-reject' },
    }).catch((error: unknown) => error);
    await until(() => signals.accessLines().length === 1, 'the timeout line');
    const [line] = signals.accessLines();
    const error = line!.error as { type: string; message: string; stack_trace: string };
    expect([
      line!.correlation_id,
      line!['jts.operation.status'],
      line!['http.route'],
      error.type,
      error.message,
    ]).toEqual([
      'e4-reject',
      'timeout',
      '/api/orders/:orderId/fills/:fid/reject',
      'SyntaxError',
      'fill message malformed',
    ]);
    expect(error.stack_trace).toContain('order-app.ts');
    // Express 4's behaviour is kept: the app's error handlers never saw it, Node reports it unhandled.
    expect(orderApp.errorsSeenByApp).toEqual([]);
    expect(unhandled.map((reason) => (reason as Error).message)).toEqual(['fill message malformed']);
    await server.close();
    await reply;
  });
});
