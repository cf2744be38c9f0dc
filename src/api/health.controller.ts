// Ballast's own operational endpoints: liveness, readiness and Prometheus metrics.
import { Controller, Get, Header, Res } from '@nestjs/common';
import type { Response } from 'express';
import { MetricsService } from '../metrics/index.js';
import { ReadinessService, type ReadinessReport } from './readiness.service.js';

@Controller()
export class HealthController {
  constructor(
    private readonly readinessService: ReadinessService,
    private readonly metrics: MetricsService,
  ) {}

  /** Liveness: the process serves HTTP. Never touches Kafka or Redis. */
  @Get('health')
  health(): { status: 'ok'; uptimeSeconds: number } {
    return this.readinessService.liveness();
  }

  /** Readiness: 200 when Kafka and Redis answer, 503 with the failing check otherwise. */
  @Get('ready')
  async ready(@Res({ passthrough: true }) response: Response): Promise<ReadinessReport> {
    const report = await this.readinessService.readiness();
    response.status(report.status === 'ready' ? 200 : 503);
    return report;
  }

  @Get('metrics')
  @Header('Cache-Control', 'no-store')
  async metricsText(@Res({ passthrough: true }) response: Response): Promise<string> {
    response.type(this.metrics.contentType);
    return this.metrics.render();
  }
}
