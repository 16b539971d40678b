// NestJS 11 on Express with what services assemble today: OpenTelemetry http + express + nestjs-core
// auto-instrumentation, pino-http access lines to a file and a prom-client request histogram.
import { runNestCase } from '../../../packages/nestjs/bench/http-cases.js';

await runNestCase('otel-pino-prom');
