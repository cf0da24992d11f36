import type { RecordAvancePayment } from '../../dossier/dossier.commands';
import { dossierError, fail, ok, type Result } from '../../dossier/dossier.errors';
import type { DossierEvent } from '../../dossier/dossier.events';
import type { ExistingDossier } from '../../dossier/dossier.state';
import { statutIncompatible } from '../../dossier/dossier.status';
import { recordedPayment } from '../../shared/payment';

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
  const due = avanceDueCents(state.avance.montantCents);
  const payment = recordedPayment(state.identity.numeroAsp, command.data, due, command.at);
  return payment.ok ? ok([{ type: 'AvancePaymentRecorded', data: payment.value }]) : payment;
};
