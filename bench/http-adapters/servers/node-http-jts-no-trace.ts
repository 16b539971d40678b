// node:http with @jts/http and two of the three signals: the access line to a file and the request
// metrics, no tracing. A reference beside node-http-jts: the difference is what the server span
// costs under load.
import { instrumentHandler } from '../../../packages/http/dist/index.js';
import { startJtsSignals } from '../support/jts-signals.js';
import { answerOrder, logFile, orderRouteOf, serve } from '../support/serve.js';

const stop = startJtsSignals(logFile(), false);
serve(instrumentHandler(answerOrder, { route: orderRouteOf }), stop);
