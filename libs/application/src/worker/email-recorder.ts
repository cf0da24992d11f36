import type { CommandBus } from '@nestjs/cqrs';
import type { EmailRecorder } from '@segur/notifications';
import { DomainRefusalError } from '../commands/domain-refusal.error';
import { newCommandContext } from '../commands/dossier-command.service';
import { ExecuteDossierCommand } from '../commands/execute-dossier-command';

/**
 * After the SMTP server accepted: `RecordEmailSent` → `EmailSent` on the dossier, so "Courriels
 * automatiques envoyés" lists it. The decider ignores a second record of the same email, so a
 * retry after a crash records it once.
 */
export const createEmailRecorder =
  (bus: CommandBus): EmailRecorder =>
  async (sent) => {
    try {
      await bus.execute(
        new ExecuteDossierCommand(
          {
            type: 'RecordEmailSent',
            data: sent,
            actor: { id: 'courriels', role: 'system' },
            at: new Date().toISOString(),
          },
          newCommandContext({
            causationId: sent.causationEventId,
            correlationId: `courriel-${sent.causationEventId}`,
          }),
        ),
      );
    } catch (e) {
      // A dossier that no longer accepts it (unknown) must not block the outbox forever.
      if (e instanceof DomainRefusalError && e.error.code === 'DOSSIER_INCONNU') return;
      throw e;
    }
  };
