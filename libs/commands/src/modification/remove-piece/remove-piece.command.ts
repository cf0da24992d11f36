import { DossierBusCommand } from '../../dossier/dossier-bus-command';

/** Le fournisseur retire une pièce ajoutée dans ce brouillon. */
export class RemovePieceCommand extends DossierBusCommand<'RemovePiece'> {
  readonly type = 'RemovePiece' as const;
}
