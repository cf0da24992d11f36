import type { ExpireModification } from '../../dossier/dossier.commands';
import { ok, type Result } from '../../dossier/dossier.errors';
import type { DossierEvent } from '../../dossier/dossier.events';
import type { ExistingDossier } from '../../dossier/dossier.state';
import { roundDueFor } from '../timer.guard';

/** TIM-6. J+20 without submission: the draft is discarded and the solde is instructed as is. */
export const decideExpireModification = (
  command: ExpireModification,
  state: ExistingDossier,
): Result<DossierEvent[]> => {
  const due = roundDueFor(state, command.data.version, command.at, (r) => r.expiresAt);
  if (!due.ok) return due;
  const round = due.value;
  if (round === null) return ok([]);
  return ok([
    {
      type: 'ModificationExpired',
      data: { numeroAsp: state.identity.numeroAsp, version: round.version, expiredAt: command.at },
    },
  ]);
};
