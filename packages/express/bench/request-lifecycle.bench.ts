// The cost of @jts/express on Express 5 in process: no sockets and no load generator, so the
// figure is the adapter's own work per request, free of the scheduling noise of bench/http-adapters
// (which measures whole servers under autocannon). Every request is new: a real IncomingMessage and
// ServerResponse (node:http's own classes, no socket: the response is buffered) handed to the
// Express app, a route answering a small JSON body with `res.send`, then `finish` and `close`
// emitted as node:http does once the response is written. 20 requests per call, then one
// event-loop turn (log writes and span exports happen there), in every case.
//
// A third suite shows why an Express request costs more to instrument than a `node:http` one:
// Express gives every request and response a new prototype (`Object.setPrototypeOf`), and V8 then
// (Node 20 and 22; Node 24's V8 no longer does) gives each of those objects a hidden class of its
// own for every property added to it later, so
// each access to them from shared code (Express's, node:http's, ours) misses its inline caches.
import { mkdtempSync, rmSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Express from 'express';
import { compare } from '../../../bench/harness.js';
import { expressOrdersApp } from '../../../bench/http-adapters/support/express-orders.js';
import { type MinimalSignals, minimalSignals } from '../../../bench/http-adapters/support/minimal-signals.js';
import {
  type Listener,
  PER_CALL,
  ROUNDS,
  ROUNDS_TEXT,
  batch,
  orderHandler as rawHandler,
  signalsSetupIn,
} from '../../../bench/http-adapters/support/in-process.js';
import { instrumentHandler } from '../../http/dist/index.js';

// Express 5, under the alias the package's tests use (`express5`), typed by @types/express.
const express = createRequire(import.meta.url)('express5') as typeof Express;

const directory = mkdtempSync(join(tmpdir(), 'jts-express-bench-'));
const bare = expressOrdersApp(express, 'bare');
const withNoop = expressOrdersApp(express, 'noop-middleware');
// Created before any signal exists and measured first: once created, the signals observe every run.
const unobserved = expressOrdersApp(express, 'jts');
const observed = expressOrdersApp(express, 'jts');
// The other setup (docs/guides/express.md, "Starting the run at the server"): the run started by @jts/http around the
// app (as instrumentServer does), before Express swaps the prototypes; the middleware routes it.
const unobservedAtServer = instrumentHandler(expressOrdersApp(express, 'jts'));
const observedAtServer = instrumentHandler(expressOrdersApp(express, 'jts'));

// What Express does to each request and response before routing: new prototypes, and each object
// pointing at the other.
const expressPrototypes = (() => {
  const app = express() as unknown as { request: object; response: object };
  return (listener: Listener): Listener =>
    (request, response) => {
      Object.setPrototypeOf(request, app.request);
      Object.setPrototypeOf(response, app.response);
      (request as { res?: ServerResponse }).res = response;
      listener(request, response);
    };
})();
const rawInstrumented = instrumentHandler(rawHandler, { route: () => '/orders/:id' });
const swappedRaw = expressPrototypes(rawHandler);
const swappedInstrumented = expressPrototypes(rawInstrumented);

const signals = signalsSetupIn(directory);
// A reference, not a peer: the least code giving the same three signals by hand in one middleware,
// without any of the checks (bench/http-adapters/support/minimal-signals.ts).
let minimal: MinimalSignals | undefined;
let withMinimal: Listener | undefined;
const minimalSetup = () => {
  minimal ??= minimalSignals(join(directory, 'minimal.log'));
  withMinimal ??= expressOrdersApp(express, minimal);
};
const shape = `Each request is new: a real IncomingMessage and ServerResponse (the response buffered) handed to an Express 5 app whose route answers a small JSON body with \`res.send\`, then \`finish\` and \`close\` emitted as node:http emits them; ${PER_CALL} requests per call, then one event-loop turn (log writes and span exports run there). ${ROUNDS_TEXT}`;

// In this order: the suites without signals run before the signals are created.
await compare({
  suite: 'express-request-lifecycle-unobserved',
  title: '@jts/express: one request in process (no network), the lifecycle alone',
  description: `One request through an Express 5 app without sockets or a load generator, so the figure is the adapter's own work per request (bench/http-adapters measures whole servers under load). ${shape} Cases: **bare Express** (baseline); Express with one middleware that only calls \`next()\` (what any middleware costs); \`expressMiddleware()\` and \`expressErrorHandler()\` with **no signal created** in the process: the correlation ID, the context, the run's lifecycle and timeout, the route template captured while routing; the same with the **run started at the server** (\`instrumentHandler\` of @jts/http around the app, as \`instrumentServer\` does: before Express swaps the prototypes; the middleware then only captures the route). The @jts/express cases keep the requests' and responses' hidden classes shared (\`keepRequestShapes\`, on by default on Node 20 and 22: the properties Express adds after swapping the prototypes are given before the swap), which also removes most of what Express itself costs per request on those versions; bare Express and the middleware calling \`next()\` keep V8's default.`,
  operationsPerCall: PER_CALL,
  time: 3200,
  rounds: ROUNDS,
  cases: [
    { name: 'bare Express', baseline: true, fn: batch(() => bare) },
    { name: 'Express with a middleware calling next()', fn: batch(() => withNoop) },
    { name: '@jts/express, no signal created', fn: batch(() => unobserved) },
    {
      name: '@jts/express, no signal created, run started at the server',
      fn: batch(() => unobservedAtServer),
    },
  ],
});
await compare({
  suite: 'express-prototype-swap',
  title: "@jts/express: why Express requests cost more to instrument (Express's prototypes, in process)",
  description: `A \`node:http\` listener answering the same body with \`setHeader\` and \`end\`, as in the @jts/http suites, bare and under \`instrumentHandler\` (no signal created), each as is and after what Express does to every request before routing: \`Object.setPrototypeOf\` of the request and the response to the app's own prototypes. After that, V8 (on Node 20 and 22; not on Node 24) gives each of those objects a hidden class of its own for every property added to it, so code shared by every request (node:http's, Express's, the adapter's) misses its inline caches on each of them and allocates a new hidden class per property added. The difference between the two pairs is what the same lifecycle costs more under Express. ${PER_CALL} requests per call, then one event-loop turn. ${ROUNDS_TEXT}`,
  operationsPerCall: PER_CALL,
  time: 3200,
  rounds: ROUNDS,
  cases: [
    { name: 'bare listener', baseline: true, fn: batch(() => rawHandler) },
    { name: '@jts/http, no signal created', fn: batch(() => rawInstrumented) },
    { name: "bare listener, Express's prototypes", fn: batch(() => swappedRaw) },
    { name: "@jts/http, no signal created, Express's prototypes", fn: batch(() => swappedInstrumented) },
  ],
});
await compare({
  suite: 'express-request-lifecycle',
  title: '@jts/express: one request in process (no network), with signals',
  description: `The same requests as the first @jts/express suite, with signals. ${shape} Cases: **bare Express** (baseline); the **minimal** signals by hand in one middleware, a reference rather than a peer (the caller's correlation ID taken as it is, or a new UUID; an SDK span continuing \`traceparent\`; a prom-client histogram and counter; a JSON line from one template string, a turn's lines in one write; the route read from \`req.route\` at finish; no validation, redaction, exemplars, outcomes or error path: bench/http-adapters/support/minimal-signals.ts); \`expressMiddleware()\` and \`expressErrorHandler()\` with **the logger, the metrics and tracing** created (the access line to a file, the request histogram and counter, a sampled server span to a discarding exporter), set up both ways. As in the first suite, the @jts/express cases keep the requests' hidden classes shared (\`keepRequestShapes\`), the others do not.`,
  operationsPerCall: PER_CALL,
  time: 3200,
  rounds: ROUNDS,
  cases: [
    { name: 'bare Express', baseline: true, fn: batch(() => bare) },
    {
      name: 'minimal by hand: the same three signals, no checks (a reference)',
      setup: minimalSetup,
      fn: batch(() => withMinimal ?? bare),
    },
    { name: '@jts/express with logger, metrics and tracing', setup: signals.setup, fn: batch(() => observed) },
    {
      name: '@jts/express with logger, metrics and tracing, run started at the server',
      setup: signals.setup,
      fn: batch(() => observedAtServer),
    },
  ],
});
await signals.close();
await minimal?.stop();
rmSync(directory, { recursive: true, force: true });
