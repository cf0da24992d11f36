import { DossierBusCommand } from '../../dossier/dossier-bus-command';

/** Expiration J+20 : le brouillon est abandonné, le dossier revient « En cours » (le planificateur). */
export class ExpireModificationCommand extends DossierBusCommand<'ExpireModification'> {
  readonly type = 'ExpireModification' as const;
}
