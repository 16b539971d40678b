import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { type AuditTrail, createAuditTrail } from '@jts/compliance';
import { httpStats } from '@jts/http';
import type { JtsLogger } from '@jts/log';
import type { TradingMetrics } from '@jts/metrics';
import { JTS_LOGGER, JTS_METRICS, JTS_TRACING } from '@jts/nestjs';
import type { Tracing } from '@jts/trace';
import { ENGINE_CONFIG, type StrategyEngineConfig } from './config.js';

/** Injection token of the engine's {@link AuditTrail}. */
export const AUDIT_TRAIL = Symbol('AUDIT_TRAIL');

/** The audit trail provider: directory and signing key from `JTS_AUDIT_DIR` and `JTS_AUDIT_SIGNING_KEY_FILE`. */
export const auditTrailProvider = {
  provide: AUDIT_TRAIL,
  inject: [ENGINE_CONFIG],
  useFactory: (config: StrategyEngineConfig): AuditTrail => createAuditTrail({ actor: config.serviceName }),
};

/**
 * Wires the self-metrics of the log, trace, audit and HTTP layers into `/metrics`, and seals the
 * audit trail when the application shuts down (after the strategies stopped).
 */
@Injectable()
export class TelemetryLifecycle implements OnModuleInit, OnApplicationShutdown {
  constructor(
    @Inject(AUDIT_TRAIL) private readonly audit: AuditTrail,
    @Inject(JTS_METRICS) private readonly metrics: TradingMetrics,
    @Inject(JTS_LOGGER) private readonly logger: JtsLogger,
    @Inject(JTS_TRACING) private readonly tracing: Tracing,
  ) {}

  onModuleInit(): void {
    this.metrics.collectStats('log', () => this.logger.stats());
    this.metrics.collectStats('trace', () => this.tracing.stats());
    this.metrics.collectStats('audit', () => this.audit.stats());
    this.metrics.collectStats('http', httpStats);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.audit.close();
  }
}
