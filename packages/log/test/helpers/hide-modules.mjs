// Imported after tsx (`--import tsx --import hide-modules.mjs`): makes the packages named in
// HIDE_MODULES (comma-separated) unresolvable, as when an optional peer is not installed, and
// says so on stderr so the test knows the logger really asked for them.
import Module from 'node:module';

const hidden = new Set((process.env.HIDE_MODULES ?? '').split(',').filter(Boolean));
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  if (hidden.has(request)) {
    process.stderr.write(`blocked ${request}\n`);
    const error = new Error(`Cannot find module '${request}'`);
    error.code = 'MODULE_NOT_FOUND';
    throw error;
  }
  return resolve.call(this, request, ...rest);
};
