import { Module } from '@nestjs/common';
import { CommandPipeline, CommandsModule } from '@segur/commands';
import { INFRA, type Infrastructure } from '@segur/platform';
import { ImportAvanceHandler } from './avance/import-avance.handler';
import { ImportFile } from './import-file';
import { GetImportReportHandler } from './report/get-import-report.handler';
import { ImportSoldeHandler } from './solde/import-solde.handler';

@Module({
  imports: [CommandsModule],
  providers: [
    {
      provide: ImportFile,
      inject: [INFRA, CommandPipeline],
      useFactory: (infra: Infrastructure, pipeline: CommandPipeline) =>
        new ImportFile({
          config: infra.config,
          sql: infra.sql,
          blobs: infra.blobs,
          pipeline,
          clock: infra.clock,
        }),
    },
    ImportAvanceHandler,
    ImportSoldeHandler,
    GetImportReportHandler,
  ],
})
export class ImportsModule {}
