// Express 5 with the full JTS instrumentation, the run started at the server by @jts/http's
// instrumentServer (docs/guides/express.md, "Starting the run at the server"), before Express gives
// the request and response its own prototypes; @jts/express only captures the route template.
// Same signals as express-jts.
import { createServer } from 'node:http';
import express from 'express';
import { instrumentServer } from '../../../packages/http/dist/index.js';
import { expressOrdersApp } from '../support/express-orders.js';
import { startJtsSignals } from '../support/jts-signals.js';
import { serve } from '../support/serve.js';

const stop = startJtsSignals();
const server = createServer(expressOrdersApp(express, 'jts'));
instrumentServer(server);
serve(server, stop);
