import { Controller, Get, Headers, Query, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ProblemError } from '../http/problem';
import { Roles } from '../http/auth.decorators';
import { modificationsToCsv, summaryToCsv } from '@segur/projections';
import { GetModificationReportQuery, GetReportSummaryQuery, ListDeadlinesQuery } from '@segur/queries';
import type { DeadlineStatus } from '@segur/scheduling';
import { ApiAsOf, markAsOf, parseAsOf } from './as-of.param';

const wantsCsv = (accept: string | undefined): boolean => (accept ?? '').includes('text/csv');

@ApiTags('reporting')
@ApiBearerAuth()
@Controller()
export class ReportsController {
  constructor(private readonly queries: QueryBus) {}

  @Get('reports/summary')
  @Roles('gestionnaire', 'auditeur')
  @ApiProduces('application/json', 'text/csv')
  @ApiOperation({
    summary:
      'Nombres et montants par statut et couloir (Accept: text/csv pour un CSV ; séparateur « ; », virgule décimale)',
  })
  async summary(
    @Res() res: Response,
    @Headers('accept') accept?: string,
    @Query('couloir') couloir?: string,
    @Headers('x-min-position') minPosition?: string,
  ): Promise<void> {
    const report = await this.queries.execute(new GetReportSummaryQuery(couloir ?? null, minPosition));
    if (wantsCsv(accept)) {
      res
        .status(200)
        .type('text/csv; charset=utf-8')
        .setHeader('Content-Disposition', 'attachment; filename="synthese.csv"');
      res.send(summaryToCsv(report));
      return;
    }
    res.status(200).json(report);
  }

  @Get('reports/modifications')
  @Roles('gestionnaire', 'auditeur')
  @ApiProduces('application/json', 'text/csv')
  @ApiOperation({
    summary:
      'Tours de modification ouverts / soumis / abandonnés / expirés ; délai médian et p90 de soumission',
  })
  async modifications(
    @Res() res: Response,
    @Headers('accept') accept?: string,
    @Headers('x-min-position') minPosition?: string,
  ): Promise<void> {
    const report = await this.queries.execute(new GetModificationReportQuery(minPosition));
    if (wantsCsv(accept)) {
      res
        .status(200)
        .type('text/csv; charset=utf-8')
        .setHeader('Content-Disposition', 'attachment; filename="modifications.csv"');
      res.send(modificationsToCsv(report));
      return;
    }
    res.status(200).json(report);
  }

  @Get('deadlines')
  @Roles('gestionnaire', 'auditeur')
  @ApiOperation({
    summary:
      'Relances (J+10) et expirations (J+20) : en attente, déclenchées, annulées ; overdue=true pour les échues',
  })
  @ApiAsOf()
  async deadlines(
    @Res({ passthrough: true }) res: Response,
    @Query('status') status?: string,
    @Query('overdue') overdue?: string,
    @Query('numeroAsp') numeroAsp?: string,
    @Headers('x-min-position') minPosition?: string,
    @Query('asOf') asOf?: string,
    @Query('atPosition') atPosition?: string,
  ): Promise<unknown> {
    const point = parseAsOf(asOf, atPosition);
    if (status !== undefined && !['PENDING', 'FIRED', 'CANCELLED'].includes(status))
      throw new ProblemError(400, 'REQUETE_INVALIDE', 'status : PENDING, FIRED ou CANCELLED');
    const filter = {
      ...(status ? { status: status as DeadlineStatus } : {}),
      ...(overdue === 'true' ? { overdue: true } : {}),
      ...(numeroAsp ? { numeroAsp } : {}),
      limit: 500,
    };
    const listed = await this.queries.execute(new ListDeadlinesQuery(filter, minPosition, point));
    markAsOf(res, listed.asOf);
    return listed;
  }
}
