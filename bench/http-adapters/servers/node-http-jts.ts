// node:http with the full JTS instrumentation: @jts/http's instrumentHandler, access line to a
// file, request metrics, sampled server span to a discarding exporter.
import { instrumentHandler } from '../../../packages/http/dist/index.js';
import { startJtsSignals } from '../support/jts-signals.js';
import { orderBody, orderIdOf, serve } from '../support/serve.js';

const stop = startJtsSignals();
const handler = instrumentHandler(
  (request, response) => {
    const id = orderIdOf(request.url);
    if (request.method !== 'GET' || id === undefined) {
      response.statusCode = 404;
      response.end();
      return;
    }
    response.setHeader('content-type', 'application/json');
    response.end(orderBody(id));
  },
  { route: (request) => (orderIdOf(request.url) === undefined ? undefined : '/orders/:id') },
);
serve(handler, stop);
