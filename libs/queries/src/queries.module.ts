import { Module } from '@nestjs/common';
import { CommandsModule } from '@segur/commands';
import { positionBounds } from '@segur/event-store';
import { INFRA, type Infrastructure } from '@segur/platform';
import { DossierHistoryReader } from './dossier/as-of/dossier-history.reader';
import { GetDossierEventsHandler } from './dossier/events/get-dossier-events.handler';
import { ListDossiersHandler } from './dossier/list/list-dossiers.handler';
import { GetPieceHandler } from './dossier/piece/get-piece.handler';
import { GetSuiviHandler } from './dossier/suivi/get-suivi.handler';
import { GetVersionsHandler } from './dossier/versions/get-versions.handler';
import { ListDeadlinesHandler } from './deadlines/list-deadlines.handler';
import { GetFournisseurHandler } from './fournisseur/get-fournisseur.handler';
import { GetEnrolmentHistoryHandler } from './fournisseur/get-enrolment-history.handler';
import { ReadYourWrites } from './read-your-writes';
import { VerifyDossierAuditHandler } from './dossier/audit/verify-dossier-audit.handler';
import { GetModificationReportHandler, GetReportSummaryHandler } from './reports/reports.handlers';

/** Every read of the HTTP API on the QueryBus. */
@Module({
  imports: [CommandsModule],
  providers: [
    {
      provide: ReadYourWrites,
      inject: [INFRA],
      useFactory: (infra: Infrastructure) =>
        new ReadYourWrites(infra.sql, undefined, undefined, positionBounds(infra.store, infra.sql)),
    },
    DossierHistoryReader,
    GetSuiviHandler,
    GetVersionsHandler,
    ListDossiersHandler,
    GetDossierEventsHandler,
    GetPieceHandler,
    GetReportSummaryHandler,
    GetModificationReportHandler,
    ListDeadlinesHandler,
    GetFournisseurHandler,
    GetEnrolmentHistoryHandler,
    VerifyDossierAuditHandler,
  ],
})
export class QueriesModule {}
