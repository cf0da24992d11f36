import { Command } from '@nestjs/cqrs';
import type { ImportReportView } from './import-report.types';
import type { ImportFileData } from './import-request';

/** A file of lines, each one a domain command on its own dossier. */
export abstract class ImportFileCommand extends Command<ImportReportView> {
  constructor(readonly data: ImportFileData) {
    super();
  }
}
