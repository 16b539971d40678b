import { Agent, type IncomingMessage, request } from 'node:http';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, it } from 'vitest';
import { currentContext } from '@jts/core';
import { instrumentHandler } from '@jts/http';
import { type Listening, type Signals, listen, startSignals, until } from './support/signals.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

let signals: Signals | undefined;
let server: Listening | undefined;
afterEach(async () => {
  await server?.close();
  await signals?.close();
});

/**
 * One request on a keep-alive agent. With `abortOnHeaders` the client goes away as soon as the
 * response head arrives (the server is then mid-response); with `abortAfterMs` after that delay.
 */
function hit(agent: Agent, url: string, abort: { onHeaders?: boolean; afterMs?: number } = {}): Promise<void> {
  return new Promise((resolve) => {
    const outgoing = request(url, { agent }, (response) => {
      if (abort.onHeaders) outgoing.destroy();
      response.resume();
      response.on('end', resolve);
      response.on('error', () => resolve());
    });
    outgoing.on('error', () => resolve());
    outgoing.on('close', () => resolve());
    outgoing.end();
    if (abort.afterMs !== undefined) setTimeout(() => outgoing.destroy(), abort.afterMs);
  });
}

describe('no context or memory leak on any path', () => {
  it('lets every request, response and run be collected after success, error, abort, timeout and exclusion', async () => {
    signals = startSignals();
    const finalized = new Set<number>();
    const registry = new FinalizationRegistry<number>((index) => finalized.add(index));
    let registered = 0;
    let contextsSeen = 0;
    const byPath = new Map<string, number>();
    server = await listen(
      instrumentHandler(
        (incoming: IncomingMessage, response) => {
          registry.register(incoming, registered++);
          if (currentContext() !== undefined) contextsSeen++;
          const path = incoming.url ?? '/';
          const name = path.split('?')[0]!;
          byPath.set(name, (byPath.get(name) ?? 0) + 1);
          if (path.startsWith('/fail')) throw new Error('handler bug');
          if (path.startsWith('/hang')) return; // closed out by the timeout, then by the server's close
          if (path.startsWith('/slow')) {
            response.flushHeaders();
            setTimeout(() => response.end('late'), 30);
            return;
          }
          response.end('ok');
        },
        { requestTimeoutMs: 20 },
      ),
    );
    const agent = new Agent({ keepAlive: true, maxSockets: 16 });
    const paths = ['/ok', '/fail', '/slow', '/metrics', '/hang'];
    for (let round = 0; round < 40; round++) {
      await Promise.all(
        paths.map((path) =>
          hit(
            agent,
            `${server!.url}${path}?r=${round}`,
            path === '/slow' ? { onHeaders: true } : path === '/hang' ? { afterMs: 60 } : {},
          ),
        ),
      );
    }
    agent.destroy();
    // Every request that reached the server made a run, except the excluded /metrics ones, and ran in its context.
    const observed = registered - (byPath.get('/metrics') ?? 0);
    await until(() => signals!.accessLines().length === observed, 'every run to end');
    expect(registered).toBeGreaterThanOrEqual(150);
    expect(contextsSeen).toBe(observed);
    const outcomes = new Set(signals.accessLines().map((line) => line['jts.operation.status']));
    expect(outcomes).toEqual(new Set(['success', 'server_error', 'aborted', 'timeout']));
    for (let attempt = 0; attempt < 20 && finalized.size < registered; attempt++) {
      gc();
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    // Nothing of ours keeps a request alive once its connection is gone.
    expect(finalized.size).toBe(registered);
  });
});
