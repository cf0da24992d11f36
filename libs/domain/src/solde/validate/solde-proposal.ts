import type { Difference } from '../../dossier/dossier.events';
import type { AvanceState, SoldeState } from '../../dossier/dossier.state';
import { avanceDueCents } from '../../avance/payment/record-avance-payment.decide';
import { formatMontant } from '../../shared/montant.valueType';

export interface SoldeProposal {
  engagementRetenuCents: number;
  soldeDecideCents: number;
  decisionModificative: { differences: Difference[] } | null;
}

// VAL-2: the differences are computed, never supplied.
/** What the solde changes with respect to the avance: the content of a décision modificative. */
export const differencesFromAvance = (avance: AvanceState, solde: SoldeState): Difference[] => {
  const differences: Difference[] = [];
  if (solde.montantCents !== avance.montantCents) {
    differences.push({
      champ: 'montantTotalHT',
      avance: formatMontant(avance.montantCents),
      solde: formatMontant(solde.montantCents),
    });
  }
  if (solde.beneficiaire !== avance.beneficiaire) {
    differences.push({ champ: 'beneficiaire', avance: avance.beneficiaire, solde: solde.beneficiaire });
  }
  return differences;
};

/**
 * The gestionnaire's default: nothing changed → 70% of the total (what the 30% avance left, so
 * that both add up to the total to the cent); the perimeter or total changed → the revised total
 * less what the avance already paid, never below zero (an overpayment is a recovery order's job).
 */
// VAL-3
export const proposeSolde = (avance: AvanceState, solde: SoldeState): SoldeProposal => {
  const differences = differencesFromAvance(avance, solde);
  if (differences.length === 0) {
    return {
      engagementRetenuCents: solde.montantCents,
      soldeDecideCents: solde.montantCents - avanceDueCents(solde.montantCents),
      decisionModificative: null,
    };
  }
  const paid = avance.payment?.montantCents ?? 0;
  return {
    engagementRetenuCents: solde.montantCents,
    soldeDecideCents: Math.max(0, solde.montantCents - paid),
    decisionModificative: { differences },
  };
};
