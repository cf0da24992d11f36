import { decideImportAvance } from '../avance/import/import-avance.decide';
import { decideRecordAvancePayment } from '../avance/payment/record-avance-payment.decide';
import type { CouloirConfig, CouloirsConfig } from '../couloir/couloir.config';
import { decideRecordEmailSent } from '../email/record/record-email-sent.decide';
import { decideAddPiece } from '../modification/add-piece/add-piece.decide';
import { decideDeclineModification } from '../modification/decline/decline-modification.decide';
import { decideEditModificationDraft } from '../modification/edit-draft/edit-modification-draft.decide';
import { decideExpireModification } from '../modification/expire/expire-modification.decide';
import { decideSendModificationReminder } from '../modification/remind/send-modification-reminder.decide';
import { decideRemovePiece } from '../modification/remove-piece/remove-piece.decide';
import { decideRequestModification } from '../modification/request/request-modification.decide';
import { decideSubmitModification } from '../modification/submit/submit-modification.decide';
import { decideIssueRecoveryOrder } from '../recovery/issue/issue-recovery-order.decide';
import { avanceInconnue, decideImportSolde } from '../solde/import/import-solde.decide';
import { decideRecordSoldePayment } from '../solde/payment/record-solde-payment.decide';
import { decideRejectSolde } from '../solde/reject/reject-solde.decide';
import { decideValidateSolde } from '../solde/validate/validate-solde.decide';
import type { DossierCommand } from './dossier.commands';
import { dossierError, fail, type Result, type DossierError } from './dossier.errors';
import type { DossierEvent } from './dossier.events';
import { evolve } from './dossier.evolve';
import { initialState, isExisting, type DossierState, type ExistingDossier } from './dossier.state';

/** Same shape as Emmett's `Decider`: `initialState` is a factory, so no caller shares a state object. */
export interface DossierDecider {
  initialState: () => DossierState;
  evolve: (state: DossierState, event: DossierEvent) => DossierState;
  /** An empty list means "accepted, nothing to do": a retried or duplicate command. */
  decide: (command: DossierCommand, state: DossierState) => Result<DossierEvent[], DossierError>;
}

export const createDossierDecider = (couloirs: CouloirsConfig): DossierDecider => {
  // The couloir was checked at the avance import; only a configuration that lost it since fails here.
  const withCouloir = (
    state: ExistingDossier,
    f: (couloir: CouloirConfig) => Result<DossierEvent[]>,
  ): Result<DossierEvent[]> => {
    // COU-2: a couloir that left the configuration.
    const couloir = couloirs[state.identity.couloir];
    return couloir === undefined
      ? fail(dossierError('COULOIR_INCONNU', `couloir inconnu : ${state.identity.couloir}`))
      : f(couloir);
  };

  const decide = (command: DossierCommand, state: DossierState): Result<DossierEvent[]> => {
    if (command.type === 'ImportAvance') return decideImportAvance(command, state, couloirs);
    if (!isExisting(state)) {
      // SOL-1: a solde needs the dossier's avance; DOS-2: any other command needs the dossier.
      if (command.type === 'ImportSolde') return fail(avanceInconnue(command.data.numeroAsp));
      return fail(dossierError('DOSSIER_INCONNU', `dossier inconnu : ${command.data.numeroAsp}`));
    }
    switch (command.type) {
      case 'RecordAvancePayment':
        return decideRecordAvancePayment(command, state);
      case 'ImportSolde':
        return withCouloir(state, (c) => decideImportSolde(command, state, c));
      case 'RequestModification':
        return decideRequestModification(command, state);
      case 'EditModificationDraft':
        return withCouloir(state, (c) => decideEditModificationDraft(command, state, c));
      case 'AddPiece':
        return withCouloir(state, (c) => decideAddPiece(command, state, c));
      case 'RemovePiece':
        return decideRemovePiece(command, state);
      case 'SubmitModification':
        return decideSubmitModification(command, state);
      case 'DeclineModification':
        return decideDeclineModification(command, state);
      case 'SendModificationReminder':
        return decideSendModificationReminder(command, state);
      case 'ExpireModification':
        return decideExpireModification(command, state);
      case 'ValidateSolde':
        return decideValidateSolde(command, state);
      case 'RejectSolde':
        return decideRejectSolde(command, state);
      case 'RecordSoldePayment':
        return decideRecordSoldePayment(command, state);
      case 'RecordEmailSent':
        return decideRecordEmailSent(command, state);
      case 'IssueRecoveryOrder':
        return decideIssueRecoveryOrder(command, state);
    }
  };

  return { initialState, evolve, decide };
};

/**
 * Folds a stream into its state: what every command path does before `decide`, and what the suivi
 * projection does. `fold` defaults to this module's decider parts; a test may fold with its own.
 */
export const foldDossier = (
  events: readonly DossierEvent[],
  fold: Pick<DossierDecider, 'initialState' | 'evolve'> = { initialState, evolve },
): DossierState => {
  let state = fold.initialState();
  for (const e of events) state = fold.evolve(state, e);
  return state;
};
