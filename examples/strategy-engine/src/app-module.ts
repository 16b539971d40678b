import { type DynamicModule, Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { createLogger } from '@jts/log';
import { createTradingMetrics } from '@jts/metrics';
import { JtsModule } from '@jts/nestjs';
import { initTracing } from '@jts/trace';
import { auditTrailProvider, TelemetryLifecycle } from './audit-trail.js';
import { ENGINE_CONFIG, type StrategyEngineConfig } from './config.js';
import { OpsController } from './ops-controller.js';
import { Portfolio } from './portfolio.js';
import { ServiceClients } from './service-clients.js';
import { StrategyRunner } from './strategy-runner.js';

/**
 * The application: `JtsModule` owns the logger, metrics and tracing (made by its factories,
 * closed with the application), `ScheduleModule` the strategy interval.
 */
@Module({})
export class AppModule {
  static forConfig(config: StrategyEngineConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        JtsModule.forRoot({
          tracing: () => initTracing({ serviceName: config.serviceName }),
          metrics: () => createTradingMetrics(),
          logger: () => createLogger({ serviceName: config.serviceName }),
        }),
        ScheduleModule.forRoot(),
      ],
      controllers: [OpsController],
      providers: [
        { provide: ENGINE_CONFIG, useValue: config },
        auditTrailProvider,
        TelemetryLifecycle,
        Portfolio,
        ServiceClients,
        StrategyRunner,
      ],
    };
  }
}
