// NestJS 11 on Express with no instrumentation: the baseline of the NestJS cases.
import { runNestCase } from '../../../packages/nestjs/bench/http-cases.js';

await runNestCase('bare');
