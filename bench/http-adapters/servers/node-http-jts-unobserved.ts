// node:http with @jts/http's instrumentHandler but no signal created: what the request lifecycle
// costs by itself, apart from writing lines, metrics and spans.
import { instrumentHandler } from '../../../packages/http/dist/index.js';
import { orderBody, orderIdOf, serve } from '../support/serve.js';

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
serve(handler);
