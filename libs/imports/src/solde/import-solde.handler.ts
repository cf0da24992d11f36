import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { ImportFile } from '../import-file';
import type { ImportReportView } from '../import-report.types';
import { ImportSoldeCommand } from './import-solde.command';

@CommandHandler(ImportSoldeCommand)
export class ImportSoldeHandler implements ICommandHandler<ImportSoldeCommand, ImportReportView> {
  constructor(private readonly imports: ImportFile) {}

  execute({ data }: ImportSoldeCommand): Promise<ImportReportView> {
    return this.imports.run({ ...data, kind: 'solde' });
  }
}
