import { spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { JtsError } from '@jts/core';
import { expressErrorHandler, expressMiddleware } from '@jts/express';
import { type Listening, listen, send } from '../../http/test/support/signals.js';
import { ShapeKeeper, engineSplitsShapes, shapeKeeperOf } from '@jts/http';
import { EXPRESS_VERSIONS } from './support/express-versions.js';

const fixture = join(import.meta.dirname, 'fixtures/hidden-classes.ts');

interface HiddenClasses {
  readonly major: number;
  readonly splits: boolean;
  readonly statuses: number[];
  readonly sameKind: boolean[];
}

function hiddenClasses(mode: 'default' | 'off'): Promise<HiddenClasses[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--allow-natives-syntax', '--import', 'tsx', fixture, mode], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`fixture exited with ${code}: ${stderr}`));
      resolve(
        stdout
          .trim()
          .split('\n')
          .map((line) => JSON.parse(line) as HiddenClasses),
      );
    });
  });
}

const until = async (check: () => boolean) => {
  for (let tries = 0; tries < 200 && !check(); tries++) await new Promise((resolve) => setTimeout(resolve, 5));
};

describe('keepRequestShapes: the requests and responses of an app share V8 hidden classes', () => {
  it('engineSplitsShapes: the V8 of Node 20 and 22 splits them, the V8 of Node 24 does not', () => {
    expect(engineSplitsShapes('11.3.244.8-node.33')).toBe(true);
    expect(engineSplitsShapes('12.4.254.21-node.33')).toBe(true);
    expect(engineSplitsShapes('13.6.233.17-node.37')).toBe(false);
    expect(engineSplitsShapes('')).toBe(false);
    expect(engineSplitsShapes('not a version')).toBe(false);
    expect(engineSplitsShapes()).toBe(Number.parseInt(process.versions.v8, 10) < 13);
  });

  it(
    'by default each kind of request of the order app (Express 4 and 5) keeps one hidden class on the engines that split them; with the option off, none does',
    { timeout: 60_000 },
    async () => {
      const [kept, off] = await Promise.all([hiddenClasses('default'), hiddenClasses('off')]);
      for (const result of [...kept, ...off]) expect(result.statuses).toEqual([200, 200, 200, 401, 200, 200, 404]);
      expect(kept.map((result) => result.major)).toEqual([4, 5]);
      for (const result of kept) expect(result.sameKind).toEqual(result.sameKind.map(() => true));
      // Where V8 splits them, an app left alone gives every request its own (what the option
      // removes); where it does not (Node 24), every kind keeps one anyway.
      for (const result of off) expect(result.sameKind.every((same) => same === !result.splits)).toBe(true);
    },
  );

  describe.each(EXPRESS_VERSIONS)('$name', (version) => {
    let server: Listening;
    const seen: { user: { has: boolean; value: unknown }; query: unknown; statusCode: number; locals: unknown }[] = [];
    let app: ReturnType<typeof version.express>;
    afterAll(() => server?.close());

    it('learns what the app adds after the swap and gives it to later requests with the value a read finds; what code reads is unchanged', async () => {
      app = version.express();
      app.use(expressMiddleware({ keepRequestShapes: true }));
      // A middleware that adds a property on some requests only (an authenticated user).
      app.use((request: any, _response: any, next: () => void) => {
        if (request.headers['x-user'] !== undefined) request.user = { name: request.headers['x-user'] };
        next();
      });
      app.get('/orders/:id', (request: any, response: any) => {
        seen.push({
          user: { has: Object.hasOwn(request, 'user'), value: request.user },
          query: { ...request.query },
          statusCode: response.statusCode,
          locals: response.locals,
        });
        response.json({ id: request.params.id });
      });
      app.use(expressErrorHandler());
      server = await listen(app as never);
      // The app is readied on its first request; learning starts with the next.
      for (const id of [1, 2]) {
        const reply = await send(`${server.url}/orders/${id}?side=buy`, { headers: { 'x-user': 'ana' } });
        expect(reply.status).toBe(200);
      }
      const keeper = shapeKeeperOf(app as never);
      expect(keeper).toBeInstanceOf(ShapeKeeper);
      await until(() => keeper!.keys.request.includes('user'));
      expect(keeper!.keys.request).toEqual(expect.arrayContaining(['params', 'route', 'user']));
      expect(keeper!.keys.response).toEqual(expect.arrayContaining(['locals']));
      // Never a property the prototypes define as an accessor (Express 5's `req.query` is a getter).
      if (version.major === 5) expect(keeper!.keys.request).not.toContain('query');

      const later = await send(`${server.url}/orders/3?side=sell&qty=3`);
      expect(later.status).toBe(200);
      expect(JSON.parse(later.body)).toEqual({ id: '3' });
      const last = seen.at(-1)!;
      // Given before the swap: own, holding what a read found before (undefined).
      expect(last.user).toEqual({ has: true, value: undefined });
      expect(last.query).toEqual({ side: 'sell', qty: '3' });
      expect(last.statusCode).toBe(200);
      expect(typeof last.locals).toBe('object');
      const third = await send(`${server.url}/orders/4`, { headers: { 'x-user': 'bo' } });
      expect(third.status).toBe(200);
      expect(seen.at(-1)!.user).toEqual({ has: true, value: { name: 'bo' } });
    });
  });

  it('never gives a property that a prototype defines as a getter, setter or read-only, nor one the app made other than a plain data property; never overwrites one the object has', async () => {
    const requestPrototype = Object.create(null, {
      computed: { get: () => 'from getter', enumerable: true, configurable: true },
      fixed: { value: 'read-only', writable: false, enumerable: true, configurable: true },
      inherited: { value: 'from prototype', writable: true, enumerable: true, configurable: true },
    });
    const keeper = new ShapeKeeper(requestPrototype, {});
    const request = new EventEmitter() as unknown as IncomingMessage;
    const response = new EventEmitter() as unknown as ServerResponse;
    keeper.prepare(request, response);
    const made = request as unknown as Record<string, unknown>;
    Object.defineProperty(made, 'computed', { value: 1, writable: true, enumerable: true, configurable: true });
    Object.defineProperty(made, 'fixed', { value: 2, writable: true, enumerable: true, configurable: true });
    Object.defineProperty(made, 'hidden', { value: 3, writable: true, enumerable: false, configurable: true });
    made.inherited = 4;
    made.plain = 5;
    (response as unknown as EventEmitter).emit('close');
    await until(() => keeper.keys.request.length > 0);
    expect(keeper.keys.request).toEqual(['inherited', 'plain']);

    const next = new EventEmitter() as unknown as Record<string, unknown>;
    next.plain = 'already set';
    keeper.prepare(next as unknown as IncomingMessage, new EventEmitter() as unknown as ServerResponse);
    expect(next.plain).toBe('already set');
    expect(Object.hasOwn(next, 'inherited')).toBe(true);
    expect(next.inherited).toBe('from prototype');
    expect(Object.hasOwn(next, 'computed') || Object.hasOwn(next, 'fixed') || Object.hasOwn(next, 'hidden')).toBe(
      false,
    );

    // An object that refuses properties keeps its shape, and the request goes on.
    const frozen = Object.freeze(new EventEmitter()) as unknown as IncomingMessage;
    expect(() => keeper.prepare(frozen, new EventEmitter() as unknown as ServerResponse)).not.toThrow();
  });

  it('is a setup option: a wrong value is a JtsError naming the option and its variable; the variable turns it off', async () => {
    expect(() => expressMiddleware({ keepRequestShapes: 'yes' as never })).toThrow(JtsError);
    expect(() => expressMiddleware({ keepRequestShapes: 'yes' as never })).toThrow(
      /keepRequestShapes.*JTS_HTTP_KEEP_REQUEST_SHAPES|JTS_HTTP_KEEP_REQUEST_SHAPES.*keepRequestShapes/,
    );
    const [version] = EXPRESS_VERSIONS.filter((candidate) => candidate.major === 5);
    const app = version!.express();
    app.use(expressMiddleware({ env: { JTS_HTTP_KEEP_REQUEST_SHAPES: 'false' } }));
    app.get('/x', (_request: unknown, response: any) => response.json({}));
    const served = await listen(app as never);
    try {
      expect((await send(`${served.url}/x`)).status).toBe(200);
      expect(shapeKeeperOf(app as never)).toBeUndefined();
    } finally {
      await served.close();
    }
  });
});
