// Bare node:http: the baseline of the raw node:http cases.
import { answerOrder, serve } from '../support/serve.js';

serve(answerOrder);
