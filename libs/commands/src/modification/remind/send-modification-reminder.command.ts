import { DossierBusCommand } from '../../dossier/dossier-bus-command';

/** Relance J+10 d’un tour de modification resté sans réponse (le planificateur). */
export class SendModificationReminderCommand extends DossierBusCommand<'SendModificationReminder'> {
  readonly type = 'SendModificationReminder' as const;
}
