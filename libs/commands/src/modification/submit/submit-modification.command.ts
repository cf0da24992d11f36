import { DossierBusCommand } from '../../dossier/dossier-bus-command';

/** « Confirmer » : le brouillon devient la version courante. */
export class SubmitModificationCommand extends DossierBusCommand<'SubmitModification'> {
  readonly type = 'SubmitModification' as const;
}
