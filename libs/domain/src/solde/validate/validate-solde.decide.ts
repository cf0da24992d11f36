import type { ValidateSolde } from '../../dossier/dossier.commands';
import { dossierError, fail, ok, type Result } from '../../dossier/dossier.errors';
import type { DossierEvent } from '../../dossier/dossier.events';
import type { ExistingDossier } from '../../dossier/dossier.state';
import { statutIncompatible } from '../../dossier/dossier.status';
import { proposeSolde } from './solde-proposal';

const isCents = (n: number): boolean => Number.isSafeInteger(n) && n >= 0;

export const decideValidateSolde = (
  command: ValidateSolde,
  state: ExistingDossier,
): Result<DossierEvent[]> => {
  // VAL-1: only a solde EN_COURS.
  if (state.phase !== 'SOLDE' || state.statut !== 'EN_COURS' || state.solde === null) {
    return fail(statutIncompatible('Validation', state, 'une demande de solde « En cours »'));
  }
  const proposal = proposeSolde(state.avance, state.solde);
  // VAL-4: explicit amounts override the proposal (VAL-3).
  const engagementRetenuCents = command.data.engagementRetenuCents ?? proposal.engagementRetenuCents;
  const soldeDecideCents = command.data.soldeDecideCents ?? proposal.soldeDecideCents;
  if (!isCents(engagementRetenuCents)) {
    return fail(
      dossierError(
        'MONTANT_INVALIDE',
        "l'engagement retenu doit être un montant positif ou nul",
        'engagementRetenu',
      ),
    );
  }
  if (!isCents(soldeDecideCents) || soldeDecideCents > engagementRetenuCents) {
    return fail(
      dossierError(
        'MONTANT_INVALIDE',
        "le solde décidé doit être un montant positif ou nul, au plus égal à l'engagement retenu",
        'soldeDecide',
      ),
    );
  }
  return ok([
    {
      type: 'SoldeValidated',
      data: {
        numeroAsp: state.identity.numeroAsp,
        engagementRetenuCents,
        soldeDecideCents,
        decisionModificative: proposal.decisionModificative,
        gestionnaireId: command.actor.id,
        validatedAt: command.at,
      },
    },
  ]);
};
