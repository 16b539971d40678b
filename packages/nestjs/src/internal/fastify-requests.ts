import type { IncomingMessage, ServerResponse } from 'node:http';
import { type HttpSettings, serveRequest } from '@jts/http';

/** The part of a FastifyRequest the module reads. */
interface FastifyRequestLike {
  readonly raw: IncomingMessage;
  readonly routeOptions?: { readonly url?: string };
}

type Hook = (request: FastifyRequestLike, reply: { readonly raw: ServerResponse }, done: () => void) => void;

/** The part of a Fastify instance the module uses. */
export interface FastifyInstanceLike {
  addHook(name: 'onRequest', hook: Hook): unknown;
}

const INSTRUMENTED = Symbol.for('jts.nestjs.fastify.v1');

/**
 * Observes every request of a Fastify instance from its first `onRequest` hook, added while Nest
 * creates the application (before Nest's middleware, which Fastify runs later in `onRequest`).
 * The route template is the FastifyRequest's `routeOptions.url`, known from `onRequest` on (Nest's
 * middleware only sees the raw request, so it never has it). The rest of Fastify's lifecycle runs
 * in the request's context: Fastify itself carries the async context across body parsing.
 *
 * @param fastify - the Fastify instance (`httpAdapter.getInstance()`)
 * @param settings - resolved HTTP options
 * @returns false when the instance was already instrumented
 */
export function instrumentFastify(fastify: FastifyInstanceLike, settings: HttpSettings): boolean {
  const marked = fastify as FastifyInstanceLike & { [INSTRUMENTED]?: true };
  if (marked[INSTRUMENTED]) return false;
  marked[INSTRUMENTED] = true;
  fastify.addHook('onRequest', function jtsRequest(request, reply, done) {
    serveRequest(settings, request.raw, reply.raw, (run) => {
      if (run !== undefined) {
        const template = request.routeOptions?.url;
        if (typeof template === 'string' && template !== '') run.setRoute(template);
      }
      done();
    });
  });
  return true;
}
