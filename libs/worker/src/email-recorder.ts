import type { CommandBus } from '@nestjs/cqrs';
import { COURRIELS, DomainRefusalError, RecordEmailSentCommand, newCommandContext } from '@segur/commands';
import type { EmailRecorder } from '@segur/notifications';

/**
 * After the SMTP server accepted: `RecordEmailSent` → `EmailSent` on the dossier, so "Courriels
 * automatiques envoyés" lists it. The decider ignores a second record of the same email, so a
 * retry after a crash records it once.
 */
export const createEmailRecorder =
  (bus: Pick<CommandBus, 'execute'>): EmailRecorder =>
  async (sent) => {
    try {
      await bus.execute(
        new RecordEmailSentCommand(sent, {
          actor: COURRIELS,
          context: newCommandContext({
            causationId: sent.causationEventId,
            correlationId: `courriel-${sent.causationEventId}`,
          }),
        }),
      );
    } catch (e) {
      // A dossier that no longer accepts it (unknown) must not block the outbox forever.
      if (e instanceof DomainRefusalError && e.error.code === 'DOSSIER_INCONNU') return;
      throw e;
    }
  };
