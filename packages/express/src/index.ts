export { expressErrorHandler } from './express-error-handler.js';
export { expressMiddleware } from './express-middleware.js';
export type { ExpressMiddlewareOptions } from './express-middleware.js';
export type { ErrorRequestHandler, NextFunction, RequestHandler } from './express-types.js';
export { metricsRoute } from './metrics-route.js';
export type { MetricsRequestHandlerLike, MetricsRouteOptions } from './metrics-route.js';
