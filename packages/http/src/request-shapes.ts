import type { IncomingMessage, ServerResponse } from 'node:http';
import { reserveRequestRun } from './request-lifecycle.js';

/** Requests watched first, to learn an app's shapes quickly; then one in {@link LEARN_EVERY}. */
const LEARN_FIRST = 32;
const LEARN_EVERY = 512;
/** At most this many keys are learned per kind of object (request, response). */
const MAX_KEYS = 64;

/**
 * Whether the JavaScript engine gives each object its own hidden class when properties are added
 * to it after `Object.setPrototypeOf`, as Express does to every request and response. The V8 of
 * Node 20 (11.3) and 22 (12.4) does; the V8 of Node 24 (13.6) keeps one hidden class for all of
 * them (checked with V8's `%HaveSameMap`), so there is nothing to keep there.
 *
 * @param v8Version - the engine's version (default: `process.versions.v8`)
 * @returns whether the keeper has anything to keep on it
 */
export function engineSplitsShapes(v8Version: string | undefined = process.versions.v8): boolean {
  const major = Number.parseInt(v8Version ?? '', 10);
  return Number.isInteger(major) && major < 13;
}

/** What was learned of one kind of object (requests, or responses): the properties the app adds after the swap. */
interface Learned {
  /** The keys, in the order first seen. */
  readonly keys: PropertyKey[];
  /** Every key already judged (learned or refused), so it is judged once. */
  readonly judged: Set<PropertyKey>;
}

const learned = (): Learned => ({ keys: [], judged: new Set() });

/**
 * Whether `key` can be given to an object before the swap without changing what any read or write
 * of it does afterwards: on the prototype chain the object is given (`prototype`), the key is
 * either absent or a plain writable data property (never a getter or setter, which an own
 * property would shadow), and the property the app's code made is a plain data property.
 */
function keepable(made: object, key: PropertyKey, prototype: object | null): boolean {
  const own = Object.getOwnPropertyDescriptor(made, key);
  if (own === undefined || !('value' in own) || !own.writable || !own.enumerable || !own.configurable) return false;
  for (let link = prototype; link !== null; link = Object.getPrototypeOf(link)) {
    const inherited = Object.getOwnPropertyDescriptor(link, key);
    if (inherited === undefined) continue;
    return 'value' in inherited && inherited.writable === true;
  }
  return true;
}

/**
 * Keeps the requests and responses of one Express app (or one that handles requests as Express
 * does, such as NestJS's Express platform) on shared hidden classes, on engines that
 * would otherwise give each its own (see {@link engineSplitsShapes}).
 *
 * Express swaps the prototypes of every request and response (`Object.setPrototypeOf`) before
 * routing, and then it, its router and the app's middleware add properties to them (`req.params`,
 * `req.route`, `res.locals`, a body, a user). On Node 20 and 22 each such addition gives the object a
 * hidden class of its own, so every access to it, in node:http's code, Express's and the app's,
 * misses V8's inline caches, and each new hidden class is allocated where only a full collection
 * frees it. The keeper learns which properties the app's requests and responses gain after the
 * swap (watching a few requests to the end of their response: the first 32, then one in 512), and
 * gives each later request and response those properties before the swap, with the value a read
 * would find through the prototype the object is about to get (`undefined`, or a data property of
 * a prototype, such as the response's `statusCode` of 200). Stores into properties that exist keep
 * the hidden class, so the requests share one. A key is never given when the prototype defines it
 * as a getter or setter or as read-only, or when the app's code made it anything but a plain data
 * property; a property the object already has is left as it is.
 *
 * What code can tell: the given keys are own properties of the request (or response) from the
 * start, holding the value it would have read, so `'key' in req` and `Object.hasOwn` see them
 * before the app sets them (a request that never reaches the middleware that sets `req.user` has an
 * own `user` of `undefined`), and `Object.keys(req)` lists them.
 */
export class ShapeKeeper {
  private readonly request = learned();
  private readonly response = learned();
  private seen = 0;

  /**
   * @param requestPrototype - the prototype Express gives the app's requests (`app.request`)
   * @param responsePrototype - the prototype Express gives the app's responses (`app.response`)
   */
  constructor(
    private readonly requestPrototype: object,
    private readonly responsePrototype: object,
  ) {}

  /** The keys learned so far (for tests and diagnostics). */
  get keys(): { readonly request: readonly PropertyKey[]; readonly response: readonly PropertyKey[] } {
    return { request: this.request.keys, response: this.response.keys };
  }

  /**
   * Gives a request and its response the learned properties, before Express swaps their
   * prototypes; watches some of them to learn more. Never throws.
   */
  prepare(request: IncomingMessage, response: ServerResponse): void {
    try {
      give(request, this.request.keys, this.requestPrototype);
      give(response, this.response.keys, this.responsePrototype);
      const seen = ++this.seen;
      if (seen > LEARN_FIRST && seen % LEARN_EVERY !== 0) return;
      if (seen >= 1_073_741_824) this.seen = LEARN_FIRST;
      this.watch(request, response);
    } catch {
      // An object that refuses a property (frozen, a proxy) keeps its own shape; the request goes on.
    }
  }

  private watch(request: IncomingMessage, response: ServerResponse): void {
    const requestBefore = new Set(Reflect.ownKeys(request));
    const responseBefore = new Set(Reflect.ownKeys(response));
    // After `close` (which node:http emits once the response is done or the client is gone), the
    // request and the response have every property the app and node:http give them.
    response.once('close', () => {
      setImmediate(() => {
        try {
          this.learn(request, requestBefore, this.request, this.requestPrototype);
          this.learn(response, responseBefore, this.response, this.responsePrototype);
        } catch {
          // Learning is best effort: what is not learned costs only a hidden class.
        }
      });
    });
  }

  private learn(made: object, before: Set<PropertyKey>, into: Learned, prototype: object): void {
    for (const key of Reflect.ownKeys(made)) {
      if (before.has(key) || into.judged.has(key) || into.keys.length >= MAX_KEYS) continue;
      into.judged.add(key);
      if (keepable(made, key, prototype)) into.keys.push(key);
    }
  }
}

function give(target: object, keys: readonly PropertyKey[], prototype: object): void {
  const record = target as Record<PropertyKey, unknown>;
  const from = prototype as Record<PropertyKey, unknown>;
  for (let index = 0; index < keys.length; index++) {
    const key = keys[index] as PropertyKey;
    if (!Object.hasOwn(target, key)) record[key] = from[key];
  }
}

const RESERVING = Symbol.for('jts.http.reserving-handle.v1');
type Handle = (this: unknown, request: IncomingMessage, response: ServerResponse, next?: unknown) => unknown;
/** The parts of an Express application that {@link reserveBeforeSwap} uses. */
export interface SwappingApp {
  handle?: unknown;
  /** The prototype Express gives the app's requests. */
  readonly request?: unknown;
  /** The prototype Express gives the app's responses. */
  readonly response?: unknown;
}
const keepers = new WeakMap<object, ShapeKeeper>();

/**
 * For adapters of Express (`@jts/express`, `@jts/nestjs` on its Express platform): wraps the
 * `handle` function of an Express application (the app's own property: Express's prototypes and
 * every other app are left alone; Express calls `app.handle` for every request) so that each
 * request it handles from then on is given, before Express swaps the prototypes of the request and
 * the response, the property of its run ({@link reserveRequestRun}) and, with `keepShapes`, the
 * other properties the app adds after the swap ({@link ShapeKeeper}). Done once per application;
 * an application whose `handle` is not a function, or that cannot be changed, is left alone.
 *
 * @param app - the Express application at the top of its mounts
 * @param keepShapes - resolved `keepRequestShapes`
 * @returns the application's shape keeper, when it has one
 */
export function reserveBeforeSwap(app: SwappingApp, keepShapes: boolean): ShapeKeeper | undefined {
  const handle = app.handle as (Handle & { [RESERVING]?: true }) | undefined;
  if (typeof handle !== 'function' || handle[RESERVING] === true) return keepers.get(app);
  const { request: requestPrototype, response: responsePrototype } = app;
  const keeper =
    keepShapes &&
    typeof requestPrototype === 'object' &&
    requestPrototype !== null &&
    typeof responsePrototype === 'object' &&
    responsePrototype !== null
      ? new ShapeKeeper(requestPrototype, responsePrototype)
      : undefined;
  const reserving = Object.assign(
    function handleReservingRun(this: unknown, request: IncomingMessage, response: ServerResponse, next?: unknown) {
      reserveRequestRun(request);
      keeper?.prepare(request, response);
      return handle.call(this, request, response, next);
    },
    { [RESERVING]: true as const },
  );
  try {
    app.handle = reserving;
  } catch {
    // A frozen app keeps its handle: its requests keep their own hidden classes.
    return undefined;
  }
  if (keeper !== undefined) keepers.set(app, keeper);
  return keeper;
}

/**
 * The shape keeper {@link reserveBeforeSwap} made for an application, if any (for adapters' tests
 * and diagnostics).
 *
 * @param app - the application given to `reserveBeforeSwap`
 * @returns its keeper
 */
export function shapeKeeperOf(app: object): ShapeKeeper | undefined {
  return keepers.get(app);
}
