// Express 5 with @jts/express installed but no signal created: what the request lifecycle and the
// route capture cost by themselves, apart from writing lines, metrics and spans.
import express from 'express';
import { expressErrorHandler, expressMiddleware } from '../../../packages/express/dist/index.js';
import { orderBody, serve } from '../support/serve.js';

const app = express();
app.use(expressMiddleware());
app.get('/orders/:id', (request, response) => {
  response.type('application/json').send(orderBody(request.params.id));
});
app.use(expressErrorHandler());
serve(app as never);
