import type { IncomingMessage, ServerResponse } from 'node:http';
import { Controller, Get, Inject, Req, Res } from '@nestjs/common';
import { metricsHandler, type MetricsRequestHandler, type TradingMetrics } from '@jts/metrics';
import { JTS_METRICS } from '@jts/nestjs';
// biome-ignore lint/style/useImportType: Nest injects by the constructor's parameter types, which decorator metadata keeps as values.
import { Portfolio, type StrategyStanding } from './portfolio.js';

/** `/healthz`, `/metrics` (excluded from the signals by default) and `GET /strategies`. */
@Controller()
export class OpsController {
  private readonly scrape: MetricsRequestHandler;

  constructor(
    @Inject(JTS_METRICS) metrics: TradingMetrics,
    private readonly portfolio: Portfolio,
  ) {
    this.scrape = metricsHandler({ registry: metrics.registry });
  }

  @Get('healthz')
  health(): { status: string } {
    return { status: 'ok' };
  }

  @Get('metrics')
  metrics(@Req() request: IncomingMessage, @Res() response: ServerResponse): void {
    this.scrape(request, response);
  }

  @Get('strategies')
  strategies(): StrategyStanding[] {
    return this.portfolio.all();
  }
}
