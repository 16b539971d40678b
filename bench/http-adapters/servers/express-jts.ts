// Express 5 with the full JTS instrumentation: @jts/express (context, correlation ID, route
// template), access line to a file, request metrics, sampled server span to a discarding exporter.
import express from 'express';
import { expressErrorHandler, expressMiddleware } from '../../../packages/express/dist/index.js';
import { startJtsSignals } from '../support/jts-signals.js';
import { orderBody, serve } from '../support/serve.js';

const stop = startJtsSignals();
const app = express();
app.use(expressMiddleware());
app.get('/orders/:id', (request, response) => {
  response.type('application/json').send(orderBody(request.params.id));
});
app.use(expressErrorHandler());
serve(app as never, stop);
