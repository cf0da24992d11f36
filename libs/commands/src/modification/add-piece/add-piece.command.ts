import { DossierBusCommand } from '../../dossier/dossier-bus-command';

/** Le fournisseur ajoute une pièce justificative (déjà stockée) à son brouillon. */
export class AddPieceCommand extends DossierBusCommand<'AddPiece'> {
  readonly type = 'AddPiece' as const;
}
