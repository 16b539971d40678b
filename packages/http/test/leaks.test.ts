import { Agent, type IncomingMessage, request } from 'node:http';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, it } from 'vitest';
import { currentContext } from '@jts/core';
import { instrumentHandler } from '@jts/http';
import { type Listening, type Signals, listen, startSignals } from './support/signals.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

let signals: Signals | undefined;
let server: Listening | undefined;
afterEach(async () => {
  await server?.close();
  await signals?.close();
});

/** One request on a keep-alive agent; aborted requests are destroyed by the client after `abortAfterMs`. */
function hit(agent: Agent, url: string, abortAfterMs?: number): Promise<void> {
  return new Promise((resolve) => {
    const outgoing = request(url, { agent }, (response) => {
      response.resume();
      response.on('end', resolve);
      response.on('error', () => resolve());
    });
    outgoing.on('error', () => resolve());
    outgoing.on('close', () => resolve());
    outgoing.end();
    if (abortAfterMs !== undefined) setTimeout(() => outgoing.destroy(), abortAfterMs);
  });
}

describe('no context or memory leak on any path', () => {
  it('lets every request, response and run be collected after success, error, abort, timeout and exclusion', async () => {
    signals = startSignals();
    const finalized = new Set<number>();
    const registry = new FinalizationRegistry<number>((index) => finalized.add(index));
    let registered = 0;
    let contextsSeen = 0;
    server = await listen(
      instrumentHandler(
        (incoming: IncomingMessage, response) => {
          registry.register(incoming, registered++);
          if (currentContext() !== undefined) contextsSeen++;
          const path = incoming.url ?? '/';
          if (path.startsWith('/fail')) throw new Error('handler bug');
          if (path.startsWith('/hang')) return; // closed out by the timeout, then by the server's close
          if (path.startsWith('/slow')) {
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
      await Promise.all(paths.map((path) => hit(agent, `${server!.url}${path}?r=${round}`, path === '/slow' || path === '/hang' ? 10 : undefined)));
    }
    agent.destroy();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(registered).toBe(200);
    // Every request made a run, except the excluded /metrics ones, and ran in its context.
    expect(contextsSeen).toBe(160);
    expect(signals.accessLines()).toHaveLength(160);
    for (let attempt = 0; attempt < 20 && finalized.size < registered; attempt++) {
      gc();
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    // Nothing of ours keeps a request alive once its connection is gone.
    expect(finalized.size).toBe(registered);
  });
});
