import type { RecordSoldePayment } from '../../dossier/dossier.commands';
import { dossierError, fail, ok, type Result } from '../../dossier/dossier.errors';
import type { DossierEvent } from '../../dossier/dossier.events';
import type { ExistingDossier } from '../../dossier/dossier.state';
import { statutIncompatible } from '../../dossier/dossier.status';
import { parisDate } from '../../shared/iso-duration.valueType';

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
  const montantCents = command.data.montantCents ?? state.decision.soldeDecideCents;
  // PAY-3
  if (!Number.isSafeInteger(montantCents) || montantCents < 0) {
    return fail(
      dossierError('MONTANT_INVALIDE', 'le montant payé doit être positif ou nul, en centimes', 'montant'),
    );
  }
  return ok([
    {
      type: 'SoldePaymentRecorded',
      data: {
        numeroAsp: state.identity.numeroAsp,
        datePaiement: command.data.datePaiement ?? parisDate(command.at),
        montantCents,
        recordedAt: command.at,
      },
    },
  ]);
};
