import { DossierBusCommand } from '../../dossier/dossier-bus-command';

/** Le gestionnaire demande une modification (commentaire obligatoire) : le dossier passe « A modifier ». */
export class RequestModificationCommand extends DossierBusCommand<
  'RequestModification',
  { numeroAsp: string; commentaire: string }
> {
  readonly type = 'RequestModification' as const;
}
