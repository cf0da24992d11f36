import type { SubmitModification } from '../../dossier/dossier.commands';
import { ok, type Result } from '../../dossier/dossier.errors';
import type { DossierEvent, FieldChange } from '../../dossier/dossier.events';
import type { ExistingDossier } from '../../dossier/dossier.state';
import { requireEditableRound } from '../open-round.guard';

/** MOD-10, "Confirmer": the draft becomes version M<n>; its diff against the current version is what changed. */
export const decideSubmitModification = (
  command: SubmitModification,
  state: ExistingDossier,
): Result<DossierEvent[]> => {
  const opened = requireEditableRound('Confirmation', state, command.at);
  if (!opened.ok) return opened;
  const round = opened.value;
  const changes: FieldChange[] = Object.entries(round.draftChamps)
    .map(([field, to]) => ({ field, from: state.champs[field] ?? null, to }))
    .filter((c) => c.from !== c.to);
  return ok([
    {
      type: 'ModificationSubmitted',
      data: {
        numeroAsp: state.identity.numeroAsp,
        version: round.version,
        changes,
        piecesAdded: round.piecesAdded,
        submittedAt: command.at,
      },
    },
  ]);
};
