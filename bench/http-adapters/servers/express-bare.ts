// Bare Express 5: the baseline of the Express cases.
import express from 'express';
import { orderBody, serve } from '../support/serve.js';

const app = express();
app.get('/orders/:id', (request, response) => {
  response.type('application/json').send(orderBody(request.params.id));
});
serve(app as never);
