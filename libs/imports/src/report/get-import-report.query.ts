import { Query } from '@nestjs/cqrs';
import type { Principal } from '@segur/auth';
import type { ImportReportView } from '../import-report.types';

/** An import's report again: for its owner (a fournisseur of its SIRET) or the back office. */
export class GetImportReportQuery extends Query<ImportReportView | null> {
  constructor(
    readonly importId: string,
    readonly principal: Principal,
  ) {
    super();
  }
}
