import type { SendModificationReminder } from '../../dossier/dossier.commands';
import { ok, type Result } from '../../dossier/dossier.errors';
import type { DossierEvent } from '../../dossier/dossier.events';
import type { ExistingDossier } from '../../dossier/dossier.state';
import { hasReached } from '../open-round.guard';
import { roundDueFor } from '../timer.guard';

/** TIM-5. J+10 without submission: one reminder per round, restating the gestionnaire's comment. */
export const decideSendModificationReminder = (
  command: SendModificationReminder,
  state: ExistingDossier,
): Result<DossierEvent[]> => {
  const due = roundDueFor(state, command.data.version, command.at, (r) => r.reminderDueAt);
  if (!due.ok) return due;
  const round = due.value;
  // Once J+20 is reached, reminding would invite an edit that is no longer possible.
  if (round === null || round.reminderSent || hasReached(command.at, round.expiresAt)) return ok([]);
  return ok([
    {
      type: 'ModificationReminderSent',
      data: { numeroAsp: state.identity.numeroAsp, version: round.version, sentAt: command.at },
    },
  ]);
};
