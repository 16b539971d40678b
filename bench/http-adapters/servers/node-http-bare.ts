// Bare node:http: the baseline of the raw node:http cases.
import { orderBody, orderIdOf, serve } from '../support/serve.js';

serve((request, response) => {
  const id = orderIdOf(request.url);
  if (request.method !== 'GET' || id === undefined) {
    response.statusCode = 404;
    response.end();
    return;
  }
  response.setHeader('content-type', 'application/json');
  response.end(orderBody(id));
});
