import type { DeclineModification } from '../../dossier/dossier.commands';
import { ok, type Result } from '../../dossier/dossier.errors';
import type { DossierEvent } from '../../dossier/dossier.events';
import type { ExistingDossier } from '../../dossier/dossier.state';
import { requireEditableRound } from '../open-round.guard';

/**
 * MOD-11, "Ne pas modifier": the supplier, or assistance on its behalf (the HTTP layer checks the role),
 * keeps the current version; the draft is discarded and the solde is instructed as is.
 */
export const decideDeclineModification = (
  command: DeclineModification,
  state: ExistingDossier,
): Result<DossierEvent[]> => {
  const opened = requireEditableRound('« Ne pas modifier »', state, command.at);
  if (!opened.ok) return opened;
  return ok([
    {
      type: 'ModificationDeclined',
      data: {
        numeroAsp: state.identity.numeroAsp,
        version: opened.value.version,
        declinedBy: command.actor.role,
        declinedAt: command.at,
      },
    },
  ]);
};
