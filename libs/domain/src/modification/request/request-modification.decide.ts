import type { RequestModification } from '../../dossier/dossier.commands';
import { dossierError, fail, ok, type Result } from '../../dossier/dossier.errors';
import type { DossierEvent } from '../../dossier/dossier.events';
import { versionLabel, type ExistingDossier } from '../../dossier/dossier.state';
import { statutIncompatible } from '../../dossier/dossier.status';
import { addIsoDuration } from '../../shared/iso-duration.valueType';

export const decideRequestModification = (
  command: RequestModification,
  state: ExistingDossier,
): Result<DossierEvent[]> => {
  // MOD-1: a supplier who spots its own mistake goes through assistance, which asks the gestionnaire:
  // only an `EN_COURS` solde may be sent back.
  if (state.phase !== 'SOLDE' || state.statut !== 'EN_COURS') {
    return fail(statutIncompatible('Demande de modification', state, 'une demande de solde « En cours »'));
  }
  // MOD-2
  const commentaire = command.data.commentaire.trim();
  if (commentaire === '') {
    return fail(
      dossierError(
        'COMMENTAIRE_OBLIGATOIRE',
        'le commentaire du gestionnaire est obligatoire : il indique au fournisseur les modifications attendues',
        'commentaire',
      ),
    );
  }
  // MOD-3, VER-1: every round opened takes the next number; TIM-1 for the two instants.
  const round = state.roundsOpened + 1;
  return ok([
    {
      type: 'ModificationRequested',
      data: {
        numeroAsp: state.identity.numeroAsp,
        version: versionLabel(round),
        round,
        commentaire,
        gestionnaireId: command.actor.id,
        requestedAt: command.at,
        reminderDueAt: addIsoDuration(command.at, command.data.reminderAfter),
        expiresAt: addIsoDuration(command.at, command.data.expiryAfter),
      },
    },
  ]);
};
