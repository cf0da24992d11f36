import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { SqlClient } from '@segur/event-store';
import { SQL_CLIENT } from '@segur/platform';
import {
  REPORTING_PROJECTION,
  reportModifications,
  reportSummary,
  type ReportModifications,
  type ReportSummary,
} from '@segur/projections';
import { ReadYourWrites } from '../read-your-writes';
import { GetModificationReportQuery } from './get-modification-report.query';
import { GetReportSummaryQuery } from './get-report-summary.query';

@QueryHandler(GetReportSummaryQuery)
export class GetReportSummaryHandler implements IQueryHandler<GetReportSummaryQuery, ReportSummary> {
  constructor(
    @Inject(SQL_CLIENT) private readonly sql: SqlClient,
    private readonly ryw: ReadYourWrites,
  ) {}

  async execute({ couloir, minPosition }: GetReportSummaryQuery): Promise<ReportSummary> {
    await this.ryw.waitFor(minPosition, [REPORTING_PROJECTION]);
    return reportSummary(this.sql, couloir ? { couloir } : {});
  }
}

@QueryHandler(GetModificationReportQuery)
export class GetModificationReportHandler implements IQueryHandler<
  GetModificationReportQuery,
  ReportModifications
> {
  constructor(
    @Inject(SQL_CLIENT) private readonly sql: SqlClient,
    private readonly ryw: ReadYourWrites,
  ) {}

  async execute({ minPosition }: GetModificationReportQuery): Promise<ReportModifications> {
    await this.ryw.waitFor(minPosition, [REPORTING_PROJECTION]);
    return reportModifications(this.sql);
  }
}
