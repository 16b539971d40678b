// Bare node:http plus 5 µs of CPU per request (a busy loop, no memory touched): a reference, not a
// peer. It reads a goal's ratio as a budget: the throughput ratio to bare node:http that this much
// added work per request gives on the machine the benchmark runs on.
import { answerOrder, serve, spendCpu } from '../support/serve.js';

serve((request, response) => {
  spendCpu(5);
  answerOrder(request, response);
});
