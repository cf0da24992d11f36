import type { CouloirConfig } from '../../couloir/couloir.config';
import type { AddPiece } from '../../dossier/dossier.commands';
import { dossierError, fail, ok, type Result } from '../../dossier/dossier.errors';
import type { DossierEvent } from '../../dossier/dossier.events';
import type { ExistingDossier } from '../../dossier/dossier.state';
import { requireEditableRound } from '../open-round.guard';

export const decideAddPiece = (
  command: AddPiece,
  state: ExistingDossier,
  couloir: CouloirConfig,
): Result<DossierEvent[]> => {
  const opened = requireEditableRound('Ajout de pièce', state, command.at);
  if (!opened.ok) return opened;
  const round = opened.value;
  const { piece } = command.data;
  // MOD-8: a type of the couloir; a retried upload appends nothing.
  if (!couloir.typesPieces.includes(piece.type)) {
    return fail(
      dossierError(
        'PIECE_TYPE_INCONNU',
        `type de pièce inconnu pour le couloir ${state.identity.couloir} : ${piece.type}`,
        'type',
      ),
    );
  }
  // Piece ids are minted by the upload: seeing one again is a retried request, not a new piece.
  const known = [...state.pieces, ...round.piecesAdded].some((p) => p.pieceId === piece.pieceId);
  if (known) return ok([]);
  return ok([
    {
      type: 'PieceAdded',
      data: { numeroAsp: state.identity.numeroAsp, version: round.version, piece, addedAt: command.at },
    },
  ]);
};
