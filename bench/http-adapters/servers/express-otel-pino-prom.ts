// Express 5 with what services assemble today: OpenTelemetry http + express auto-instrumentation,
// pino-http and a prom-client histogram (route label read when the response finishes).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { startOtelPinoProm } from '../support/otel-pino-prom.js';
import { orderBody, serve } from '../support/serve.js';

const stack = startOtelPinoProm(true);
const express = stack.require('express') as typeof import('express');
const app = express();
app.use(stack.httpLogger);
app.use(
  (
    request: IncomingMessage & { route?: { path: string }; baseUrl?: string },
    response: ServerResponse,
    next: () => void,
  ) => {
    const end = stack.duration.startTimer({ method: request.method });
    response.on('finish', () =>
      end({
        route: request.route ? `${request.baseUrl ?? ''}${request.route.path}` : 'unmatched',
        status_code: response.statusCode,
      }),
    );
    next();
  },
);
app.get('/orders/:id', (request, response) => {
  response.type('application/json').send(orderBody(request.params.id));
});
serve(app as never, () => stack.stop());
