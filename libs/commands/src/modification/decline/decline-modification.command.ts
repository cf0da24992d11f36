import { DossierBusCommand } from '../../dossier/dossier-bus-command';

/** « Ne pas modifier » : le brouillon est abandonné (le fournisseur ou l’assistance). */
export class DeclineModificationCommand extends DossierBusCommand<'DeclineModification'> {
  readonly type = 'DeclineModification' as const;
}
