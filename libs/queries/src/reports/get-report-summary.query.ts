import { Query } from '@nestjs/cqrs';
import type { ReportSummary } from '@segur/projections';

/** Nombres et montants par statut et couloir. */
export class GetReportSummaryQuery extends Query<ReportSummary> {
  constructor(
    readonly couloir: string | null,
    readonly minPosition?: string,
  ) {
    super();
  }
}
