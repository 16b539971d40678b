// node:http with @jts/http's instrumentHandler but no signal created: what the request lifecycle
// costs by itself, apart from writing lines, metrics and spans.
import { instrumentHandler } from '../../../packages/http/dist/index.js';
import { answerOrder, orderRouteOf, serve } from '../support/serve.js';

serve(instrumentHandler(answerOrder, { route: orderRouteOf }));
