import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { ImportFile } from '../import-file';
import type { ImportReportView } from '../import-report.types';
import { ImportAvanceCommand } from './import-avance.command';

@CommandHandler(ImportAvanceCommand)
export class ImportAvanceHandler implements ICommandHandler<ImportAvanceCommand, ImportReportView> {
  constructor(private readonly imports: ImportFile) {}

  execute({ data }: ImportAvanceCommand): Promise<ImportReportView> {
    return this.imports.run({ ...data, kind: 'avance' });
  }
}
