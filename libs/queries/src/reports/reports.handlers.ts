import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import {
  REPORTING_PROJECTION,
  reportModifications,
  reportSummary,
  type ReportModifications,
  type ReportSummary,
} from '@segur/projections';
import { ReadModelHandler } from '../read-model.handler';
import { GetModificationReportQuery } from './get-modification-report.query';
import { GetReportSummaryQuery } from './get-report-summary.query';

@QueryHandler(GetReportSummaryQuery)
export class GetReportSummaryHandler
  extends ReadModelHandler
  implements IQueryHandler<GetReportSummaryQuery, ReportSummary>
{
  execute({ couloir, minPosition }: GetReportSummaryQuery): Promise<ReportSummary> {
    return this.read(minPosition, [REPORTING_PROJECTION], (sql) =>
      reportSummary(sql, couloir ? { couloir } : {}),
    );
  }
}

@QueryHandler(GetModificationReportQuery)
export class GetModificationReportHandler
  extends ReadModelHandler
  implements IQueryHandler<GetModificationReportQuery, ReportModifications>
{
  execute({ minPosition }: GetModificationReportQuery): Promise<ReportModifications> {
    return this.read(minPosition, [REPORTING_PROJECTION], (sql) => reportModifications(sql));
  }
}
