import { Query } from '@nestjs/cqrs';
import type { ReportModifications } from '@segur/projections';

/** Tours de modification ouverts, soumis, abandonnés, expirés ; délais de soumission. */
export class GetModificationReportQuery extends Query<ReportModifications> {
  constructor(readonly minPosition?: string) {
    super();
  }
}
