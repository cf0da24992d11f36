import { DossierBusCommand } from '../../dossier/dossier-bus-command';

/** Un courriel automatique a été accepté par le serveur SMTP : il rejoint le dossier. */
export class RecordEmailSentCommand extends DossierBusCommand<'RecordEmailSent'> {
  readonly type = 'RecordEmailSent' as const;
}
