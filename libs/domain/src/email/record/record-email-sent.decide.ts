import type { RecordEmailSent } from '../../dossier/dossier.commands';
import { ok, type Result } from '../../dossier/dossier.errors';
import type { DossierEvent } from '../../dossier/dossier.events';
import type { ExistingDossier } from '../../dossier/dossier.state';

/** EML-2. Emails go out at least once but are recorded once: the causing event and template are the key. */
export const decideRecordEmailSent = (
  command: RecordEmailSent,
  state: ExistingDossier,
): Result<DossierEvent[]> => {
  const d = command.data;
  const recorded = state.emailsSent.some(
    (e) => e.causationEventId === d.causationEventId && e.template === d.template,
  );
  if (recorded) return ok([]);
  return ok([
    {
      type: 'EmailSent',
      data: {
        numeroAsp: state.identity.numeroAsp,
        causationEventId: d.causationEventId,
        template: d.template,
        to: d.to,
        subject: d.subject,
        messageId: d.messageId,
        sentAt: command.at,
      },
    },
  ]);
};
