import type { RecordSoldePayment } from '../../dossier/dossier.commands';
import { fail, ok, type Result } from '../../dossier/dossier.errors';
import type { DossierEvent } from '../../dossier/dossier.events';
import type { ExistingDossier } from '../../dossier/dossier.state';
import { statutIncompatible } from '../../dossier/dossier.status';
import { recordedPayment } from '../../shared/payment';

export const decideRecordSoldePayment = (
  command: RecordSoldePayment,
  state: ExistingDossier,
): Result<DossierEvent[]> => {
  // PAY-2: only a solde VALIDEE; default amount the solde décidé.
  if (state.phase !== 'SOLDE' || state.statut !== 'VALIDEE' || state.decision === null) {
    return fail(
      statutIncompatible('Enregistrement du paiement du solde', state, 'une demande de solde « Validée »'),
    );
  }
  const due = state.decision.soldeDecideCents;
  const payment = recordedPayment(state.identity.numeroAsp, command.data, due, command.at);
  return payment.ok ? ok([{ type: 'SoldePaymentRecorded', data: payment.value }]) : payment;
};
