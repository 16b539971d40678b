export { DEFAULT_EXCLUDED_PATHS, resolveHttpSettings } from './http-options.js';
export type { HttpInstrumentationOptions, HttpSettings } from './http-options.js';
export { httpStats } from './http-stats.js';
export type { HttpStats } from './http-stats.js';
export { instrumentHandler, instrumentServer } from './instrument-handler.js';
export type { RequestListener } from './instrument-handler.js';
export { requestRunOf, reserveRequestRun, serveRequest } from './request-lifecycle.js';
export type { RequestRun } from './request-lifecycle.js';
