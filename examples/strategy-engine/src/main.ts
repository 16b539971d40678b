// The strategy engine: NestJS 11 on Express, the JTS module, scheduled strategies.
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { JtsLoggerService } from '@jts/nestjs';
import { AppModule } from './app-module.js';
import { readConfig } from './config.js';

const config = readConfig();
const app = await NestFactory.create(AppModule.forConfig(config), { bufferLogs: true });
app.useLogger(app.get(JtsLoggerService));
// SIGTERM / SIGINT: stop the strategies, finish their orders, seal the audit trail, flush spans and logs.
app.enableShutdownHooks();
await app.listen(config.port, config.host);
