import { DossierBusCommand, type DataOf } from '../../dossier/dossier-bus-command';
import type { Issuer } from '../../pipeline/command-context';

/**
 * Le fournisseur ajoute une pièce justificative à son brouillon. Its bytes travel with the command
 * and are stored only once the decision accepts it (tenancy, an editable round, a known type).
 */
export class AddPieceCommand extends DossierBusCommand<'AddPiece'> {
  readonly type = 'AddPiece' as const;

  constructor(
    data: DataOf<'AddPiece'>,
    issuer: Issuer,
    readonly content: Uint8Array,
  ) {
    super(data, issuer);
  }
}
