// How many async resources node:http creates per request, by type: on Node 20 and 22,
// AsyncLocalStorage (every context of the benchmark's cases, ours and OpenTelemetry's) runs an
// async hook for each one, which `node-http-jts-unobserved` pays without any signal. The server
// (bare, or @jts/http with no signal created) runs in this process under a counting async hook;
// autocannon drives it from a process of its own, so only the server's resources are counted.
//   node --import tsx bench/http-adapters/async-resources.ts [--bare]   (after `npm run build`)
// Prints the requests served and the resources per request of each type; no result is stored.
import { createHook } from 'node:async_hooks';
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { instrumentHandler } from '../../packages/http/dist/index.js';
import { answerOrder, orderRouteOf } from './support/serve.js';

const bare = process.argv.includes('--bare');
const counts = new Map<string, number>();
let counting = false;
let served = 0;
createHook({
  init(_id, type) {
    if (counting) counts.set(type, (counts.get(type) ?? 0) + 1);
  },
}).enable();

const server = createServer(bare ? answerOrder : instrumentHandler(answerOrder, { route: orderRouteOf }));
server.on('request', () => {
  if (counting) served++;
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/orders/42`;

/** Drives the server for `seconds` from another process (50 connections). */
const load = (seconds: number) =>
  new Promise((resolve, reject) =>
    spawn(
      process.execPath,
      [
        '-e',
        `require('autocannon')(${JSON.stringify({ url, connections: 50, duration: seconds })}, (e) => process.exit(e ? 1 : 0))`,
      ],
      { stdio: 'ignore' },
    )
      .once('error', reject)
      .once('exit', (code) => (code === 0 ? resolve(code) : reject(new Error(`autocannon exited with ${code}`)))),
  );

await load(1); // warm-up, not counted
counting = true;
await load(2);
counting = false;
if (served === 0) throw new Error('the server served no request while counting');
const perRequest = [...counts]
  .filter(([, count]) => count >= served / 100)
  .map(([type, count]) => `${type} ${(count / served).toFixed(2)}`);
console.log(
  `${bare ? 'bare node:http' : '@jts/http, no signal'}: ${served} requests; per request: ${perRequest.join(', ')}`,
);
server.close();
