// node:http with the full JTS instrumentation: @jts/http's instrumentHandler, access line to a
// file, request metrics, sampled server span to a discarding exporter.
import { instrumentHandler } from '../../../packages/http/dist/index.js';
import { startJtsSignals } from '../support/jts-signals.js';
import { answerOrder, orderRouteOf, serve } from '../support/serve.js';

const stop = startJtsSignals();
serve(instrumentHandler(answerOrder, { route: orderRouteOf }), stop);
