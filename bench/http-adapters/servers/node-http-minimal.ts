// node:http with the minimal signals by hand (support/minimal-signals.ts): a reference for what the
// signals alone cost, not a setup to copy (no validation, redaction, exemplars or outcomes).
import { minimalSignals } from '../support/minimal-signals.js';
import { answerOrder, logFile, orderRouteOf, serve } from '../support/serve.js';

const signals = minimalSignals(logFile());
serve(
  (request, response) =>
    signals.request(
      request,
      response,
      () => orderRouteOf(request) ?? 'unmatched',
      () => answerOrder(request, response),
    ),
  () => signals.stop(),
);
