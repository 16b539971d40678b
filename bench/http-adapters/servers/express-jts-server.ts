// Express 5 with the full JTS instrumentation, set up for the lowest cost (docs/guides/express.md,
// "Cost"): the run starts at the server (@jts/http's instrumentServer), before Express gives the
// request and response its own prototypes, and @jts/express only captures the route template.
// Same signals as express-jts.
import { createServer } from 'node:http';
import express from 'express';
import { expressErrorHandler, expressMiddleware } from '../../../packages/express/dist/index.js';
import { instrumentServer } from '../../../packages/http/dist/index.js';
import { startJtsSignals } from '../support/jts-signals.js';
import { orderBody, serve } from '../support/serve.js';

const stop = startJtsSignals();
const app = express();
app.use(expressMiddleware());
app.get('/orders/:id', (request, response) => {
  response.type('application/json').send(orderBody(request.params.id));
});
app.use(expressErrorHandler());
const server = createServer(app);
instrumentServer(server);
serve(server, stop);
