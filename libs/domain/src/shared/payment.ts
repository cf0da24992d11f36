import type { DossierError, Result } from '../dossier/dossier.errors';
import { dossierError, fail, ok } from '../dossier/dossier.errors';
import { parisDate } from './iso-duration.valueType';

/** A payment as the dossier records it (avance or solde). */
export interface RecordedPayment {
  numeroAsp: string;
  datePaiement: string;
  montantCents: number;
  recordedAt: string;
}

/**
 * PAY-3: a payment of `montantCents` (the due amount when the gestionnaire gives none) on
 * `datePaiement` (today in Paris when none), recorded at `at`. A negative amount is refused.
 */
export const recordedPayment = (
  numeroAsp: string,
  given: { datePaiement: string | null; montantCents: number | null },
  dueCents: number,
  at: string,
): Result<RecordedPayment, DossierError> => {
  const montantCents = given.montantCents ?? dueCents;
  if (!Number.isSafeInteger(montantCents) || montantCents < 0)
    return fail(
      dossierError('MONTANT_INVALIDE', 'le montant payé doit être positif ou nul, en centimes', 'montant'),
    );
  return ok({ numeroAsp, datePaiement: given.datePaiement ?? parisDate(at), montantCents, recordedAt: at });
};
