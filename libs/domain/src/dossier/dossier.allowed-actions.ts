import { editableRoundAt } from '../modification/open-round.guard';
import type { Role } from './dossier.events';
import type { DossierState } from './dossier.state';

export type DossierAction =
  | 'enregistrer_paiement_avance'
  | 'importer_solde'
  | 'demander_modification'
  | 'modifier'
  | 'ajouter_piece'
  | 'supprimer_piece'
  | 'confirmer'
  | 'ne_pas_modifier'
  | 'valider'
  | 'rejeter'
  | 'enregistrer_paiement_solde'
  | 'emettre_ordre_recouvrement';

/**
 * What the read side may offer as buttons at `at`. A hint, not a guard: the decider still decides,
 * but on the same rule (a round past its J+20 offers nothing, even before the expiry timer fires).
 */
export const allowedActions = (state: DossierState, role: Role, at: string): DossierAction[] => {
  const { phase, statut } = state;
  if (state.identity === null || phase === null) return [];
  const editable = editableRoundAt(state, at);
  const actions: DossierAction[] = [];
  switch (role) {
    case 'fournisseur':
      if (phase === 'AVANCE' && statut === 'PAIEMENT_EFFECTUE') actions.push('importer_solde');
      if (editable) {
        actions.push('modifier', 'ajouter_piece');
        if (editable.piecesAdded.length > 0) actions.push('supprimer_piece');
        actions.push('confirmer', 'ne_pas_modifier');
      }
      break;
    case 'assistance':
      if (phase === 'AVANCE' && statut === 'PAIEMENT_EFFECTUE') actions.push('importer_solde');
      if (editable) actions.push('ne_pas_modifier');
      break;
    case 'gestionnaire':
      if (phase === 'AVANCE' && statut === 'EN_COURS') actions.push('enregistrer_paiement_avance');
      if (phase === 'SOLDE' && statut === 'EN_COURS')
        actions.push('demander_modification', 'valider', 'rejeter');
      if (phase === 'SOLDE' && statut === 'VALIDEE') actions.push('enregistrer_paiement_solde');
      if (phase === 'SOLDE' && (statut === 'VALIDEE' || statut === 'PAIEMENT_EFFECTUE')) {
        actions.push('emettre_ordre_recouvrement');
      }
      break;
    case 'auditeur':
    case 'service':
    case 'system':
      break;
  }
  return actions;
};
