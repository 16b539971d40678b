// Bare Express 5 with its requests' and responses' hidden classes kept by hand, and nothing else:
// the reference that separates what @jts/express's keepRequestShapes gives Express itself (on the
// V8 of Node 20 and 22) from what the instrumentation costs. The listener learns, from the first
// request, which properties Express adds to the request and the response after swapping their
// prototypes, and gives every later request and response those properties first (the value a read
// finds through the app's prototypes), as the adapter does.
import type { IncomingMessage, ServerResponse } from 'node:http';
import express from 'express';
import { expressOrdersApp } from '../support/express-orders.js';
import { serve } from '../support/serve.js';

const app = expressOrdersApp(express, 'bare') as unknown as ((
  request: IncomingMessage,
  response: ServerResponse,
) => void) & {
  request: Record<PropertyKey, unknown>;
  response: Record<PropertyKey, unknown>;
};
let learned: { request: PropertyKey[]; response: PropertyKey[] } | undefined;
let learning = false;

function give(target: object, keys: readonly PropertyKey[], prototype: Record<PropertyKey, unknown>): void {
  for (const key of keys)
    if (!Object.hasOwn(target, key)) (target as Record<PropertyKey, unknown>)[key] = prototype[key];
}

serve((request: IncomingMessage, response: ServerResponse) => {
  if (learned !== undefined) {
    give(request, learned.request, app.request);
    give(response, learned.response, app.response);
  } else if (!learning) {
    learning = true;
    const requestBefore = new Set(Reflect.ownKeys(request));
    const responseBefore = new Set(Reflect.ownKeys(response));
    response.once('close', () =>
      setImmediate(() => {
        learned = {
          request: Reflect.ownKeys(request).filter((key) => !requestBefore.has(key)),
          response: Reflect.ownKeys(response).filter((key) => !responseBefore.has(key)),
        };
      }),
    );
  }
  app(request, response);
});
