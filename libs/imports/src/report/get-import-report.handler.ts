import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { ImportFile } from '../import-file';
import type { ImportReportView } from '../import-report.types';
import { GetImportReportQuery } from './get-import-report.query';

@QueryHandler(GetImportReportQuery)
export class GetImportReportHandler implements IQueryHandler<GetImportReportQuery, ImportReportView | null> {
  constructor(private readonly imports: ImportFile) {}

  execute({ importId, principal }: GetImportReportQuery): Promise<ImportReportView | null> {
    return this.imports.findReport(importId, principal);
  }
}
