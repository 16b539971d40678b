// node:http with what services assemble today: OpenTelemetry http auto-instrumentation, pino-http
// and a prom-client histogram.
import { startOtelPinoProm } from '../support/otel-pino-prom.js';
import { orderBody, orderIdOf, serve } from '../support/serve.js';

const stack = startOtelPinoProm(false);
const http = stack.require('node:http') as typeof import('node:http');
const server = http.createServer((request, response) => {
  stack.httpLogger(request, response);
  const id = orderIdOf(request.url);
  const end = stack.duration.startTimer({
    method: request.method,
    route: id === undefined ? 'unmatched' : '/orders/:id',
  });
  response.on('finish', () => end({ status_code: response.statusCode }));
  if (request.method !== 'GET' || id === undefined) {
    response.statusCode = 404;
    response.end();
    return;
  }
  response.setHeader('content-type', 'application/json');
  response.end(orderBody(id));
});
serve(server, () => stack.stop());
