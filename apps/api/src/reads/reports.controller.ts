import { Controller, Get, Headers, Inject, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ProblemError, ReadYourWrites, Roles, SQL_CLIENT } from '@segur/application';
import type { SqlClient } from '@segur/event-store';
import {
  REPORTING_PROJECTION,
  modificationsToCsv,
  reportModifications,
  reportSummary,
  summaryToCsv,
} from '@segur/projections';
import { listDeadlines, type DeadlineStatus } from '@segur/scheduling';

const wantsCsv = (accept: string | undefined): boolean => (accept ?? '').includes('text/csv');

@ApiTags('reporting')
@ApiBearerAuth()
@Controller()
export class ReportsController {
  constructor(
    @Inject(SQL_CLIENT) private readonly sql: SqlClient,
    private readonly ryw: ReadYourWrites,
  ) {}

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
    await this.ryw.waitFor(minPosition, [REPORTING_PROJECTION]);
    const report = await reportSummary(this.sql, couloir ? { couloir } : {});
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
    await this.ryw.waitFor(minPosition, [REPORTING_PROJECTION]);
    const report = await reportModifications(this.sql);
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
  async deadlines(
    @Query('status') status?: string,
    @Query('overdue') overdue?: string,
    @Query('numeroAsp') numeroAsp?: string,
    @Headers('x-min-position') minPosition?: string,
  ): Promise<unknown> {
    await this.ryw.waitFor(minPosition, ['deadlines']);
    if (status !== undefined && !['PENDING', 'FIRED', 'CANCELLED'].includes(status))
      throw new ProblemError(400, 'REQUETE_INVALIDE', 'status : PENDING, FIRED ou CANCELLED');
    const rows = await listDeadlines(this.sql, {
      ...(status ? { status: status as DeadlineStatus } : {}),
      ...(overdue === 'true' ? { overdue: true } : {}),
      ...(numeroAsp ? { numeroAsp } : {}),
      limit: 500,
    });
    return { deadlines: rows };
  }
}
