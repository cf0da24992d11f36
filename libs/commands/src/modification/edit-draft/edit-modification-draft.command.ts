import { DossierBusCommand } from '../../dossier/dossier-bus-command';

/** Le fournisseur modifie un champ éditable de son brouillon. */
export class EditModificationDraftCommand extends DossierBusCommand<'EditModificationDraft'> {
  readonly type = 'EditModificationDraft' as const;
}
