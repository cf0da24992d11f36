import { Controller, Get, Header, Headers, Inject, Res } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { register } from 'prom-client';
import { INFRA, metricsScrapeAllowed, type Infrastructure } from '@segur/platform';
import { Public } from '../http/auth.decorators';
import { ProblemError } from '../http/problem';
import { ReadinessService } from './readiness.service';

@ApiTags('système')
@Controller()
@Public()
export class SystemController {
  constructor(
    @Inject(INFRA) private readonly infra: Infrastructure,
    private readonly readiness: ReadinessService,
  ) {}

  /** Liveness: the process answers. */
  @Get('health')
  health(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** Readiness: the store answers, Redis answers (when configured), projection lag. */
  @Get('ready')
  async ready(@Res() res: Response): Promise<void> {
    const report = await this.readiness.check();
    res.status(report.status === 'ok' ? 200 : 503).json(report);
  }

  @Get('metrics')
  @Header('Content-Type', register.contentType)
  @ApiExcludeEndpoint()
  async metrics(@Headers('authorization') authorization?: string): Promise<string> {
    if (!metricsScrapeAllowed(this.infra.config.metrics, authorization))
      throw new ProblemError(
        401,
        'NON_AUTHENTIFIE',
        'Jeton de métriques manquant ou invalide (METRICS_TOKEN)',
        undefined,
        {
          'WWW-Authenticate': 'Bearer',
        },
      );
    return register.metrics();
  }
}
