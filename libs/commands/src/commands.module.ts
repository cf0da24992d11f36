import { Module } from '@nestjs/common';
import { INFRA, type Infrastructure } from '@segur/platform';
import { RecordAvancePaymentHandler } from './avance/payment/record-avance-payment.handler';
import { RecordEmailSentHandler } from './email/record/record-email-sent.handler';
import { EnrolFournisseurHandler } from './fournisseur/enrol/enrol-fournisseur.handler';
import { AddPieceHandler } from './modification/add-piece/add-piece.handler';
import { DeclineModificationHandler } from './modification/decline/decline-modification.handler';
import { EditModificationDraftHandler } from './modification/edit-draft/edit-modification-draft.handler';
import { ExpireModificationHandler } from './modification/expire/expire-modification.handler';
import { SendModificationReminderHandler } from './modification/remind/send-modification-reminder.handler';
import { RemovePieceHandler } from './modification/remove-piece/remove-piece.handler';
import { RequestModificationHandler } from './modification/request/request-modification.handler';
import { SubmitModificationHandler } from './modification/submit/submit-modification.handler';
import { CommandPipeline } from './pipeline/command-pipeline';
import { IssueRecoveryOrderHandler } from './recovery/issue/issue-recovery-order.handler';
import { RecordSoldePaymentHandler } from './solde/payment/record-solde-payment.handler';
import { RejectSoldeHandler } from './solde/reject/reject-solde.handler';
import { ValidateSoldeHandler } from './solde/validate/validate-solde.handler';

/** The pipeline, built once per process on the opened infrastructure (its state cache is per process). */
export const commandPipelineProvider = {
  provide: CommandPipeline,
  inject: [INFRA],
  useFactory: (infra: Infrastructure): CommandPipeline =>
    new CommandPipeline({
      store: infra.store,
      sql: infra.sql,
      decider: infra.decider,
      logger: infra.logger.child({ component: 'commandes' }),
    }),
};

export const COMMAND_HANDLERS = [
  RecordAvancePaymentHandler,
  ValidateSoldeHandler,
  RejectSoldeHandler,
  RecordSoldePaymentHandler,
  RequestModificationHandler,
  EditModificationDraftHandler,
  AddPieceHandler,
  RemovePieceHandler,
  SubmitModificationHandler,
  DeclineModificationHandler,
  SendModificationReminderHandler,
  ExpireModificationHandler,
  RecordEmailSentHandler,
  IssueRecoveryOrderHandler,
  EnrolFournisseurHandler,
];

/** Every one-dossier use case on the CommandBus, and the pipeline the other modules build on. */
@Module({
  providers: [commandPipelineProvider, ...COMMAND_HANDLERS],
  exports: [CommandPipeline],
})
export class CommandsModule {}
