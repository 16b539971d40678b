// node:http with what services assemble today: OpenTelemetry http auto-instrumentation, pino-http
// and a prom-client histogram.
import { startOtelPinoProm } from '../support/otel-pino-prom.js';
import { answerOrder, orderRouteOf, serve } from '../support/serve.js';

const stack = startOtelPinoProm(false);
const http = stack.require('node:http') as typeof import('node:http');
const server = http.createServer((request, response) => {
  stack.httpLogger(request, response);
  const end = stack.duration.startTimer({ method: request.method, route: orderRouteOf(request) ?? 'unmatched' });
  response.on('finish', () => end({ status_code: response.statusCode }));
  answerOrder(request, response);
});
serve(server, () => stack.stop());
