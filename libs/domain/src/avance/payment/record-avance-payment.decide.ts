import type { RecordAvancePayment } from '../../dossier/dossier.commands';
import { dossierError, fail, ok, type Result } from '../../dossier/dossier.errors';
import type { DossierEvent } from '../../dossier/dossier.events';
import type { ExistingDossier } from '../../dossier/dossier.state';
import { statutIncompatible } from '../../dossier/dossier.status';
import { parisDate } from '../../shared/iso-duration.valueType';

/** The avance is 30% of the total HT of the bon de commande, to the cent. */
// PAY-1, VAL-3: 30 % of the total, rounded to the cent.
export const avanceDueCents = (montantTotalCents: number): number => Math.round((montantTotalCents * 3) / 10);

export const decideRecordAvancePayment = (
  command: RecordAvancePayment,
  state: ExistingDossier,
): Result<DossierEvent[]> => {
  // PAY-1: once, on an avance EN_COURS; default amount avanceDueCents, default date today (Paris).
  if (state.avance.payment !== null) {
    return fail(dossierError('AVANCE_DEJA_PAYEE', "le paiement de l'avance est déjà enregistré"));
  }
  if (state.phase !== 'AVANCE' || state.statut !== 'EN_COURS') {
    return fail(
      statutIncompatible(
        "Enregistrement du paiement de l'avance",
        state,
        "une demande d'avance « En cours »",
      ),
    );
  }
  const montantCents = command.data.montantCents ?? avanceDueCents(state.avance.montantCents);
  // PAY-3
  if (!Number.isSafeInteger(montantCents) || montantCents < 0) {
    return fail(
      dossierError('MONTANT_INVALIDE', 'le montant payé doit être positif ou nul, en centimes', 'montant'),
    );
  }
  return ok([
    {
      type: 'AvancePaymentRecorded',
      data: {
        numeroAsp: state.identity.numeroAsp,
        datePaiement: command.data.datePaiement ?? parisDate(command.at),
        montantCents,
        recordedAt: command.at,
      },
    },
  ]);
};
