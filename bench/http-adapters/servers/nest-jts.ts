// NestJS 11 on Express with JtsModule: context, correlation ID, route template, access line to a
// file, request metrics, sampled server span to a discarding exporter.
import { runNestCase } from '../../../packages/nestjs/bench/http-cases.js';

await runNestCase('jts');
