import type { RemovePiece } from '../../dossier/dossier.commands';
import { dossierError, fail, ok, type Result } from '../../dossier/dossier.errors';
import type { DossierEvent } from '../../dossier/dossier.events';
import type { ExistingDossier } from '../../dossier/dossier.state';
import { requireEditableRound } from '../open-round.guard';

export const decideRemovePiece = (command: RemovePiece, state: ExistingDossier): Result<DossierEvent[]> => {
  const opened = requireEditableRound('Suppression de pièce', state, command.at);
  if (!opened.ok) return opened;
  const round = opened.value;
  const { pieceId } = command.data;
  // MOD-9, "ajout uniquement": a piece present before the round is part of what was instructed.
  if (state.pieces.some((p) => p.pieceId === pieceId)) {
    return fail(
      dossierError(
        'PIECE_NON_SUPPRIMABLE',
        'vous ne pouvez pas supprimer une pièce jointe présente avant modification',
        'pieceId',
      ),
    );
  }
  if (!round.piecesAdded.some((p) => p.pieceId === pieceId)) {
    return fail(dossierError('PIECE_INCONNUE', `pièce inconnue : ${pieceId}`, 'pieceId'));
  }
  return ok([
    {
      type: 'PieceRemoved',
      data: { numeroAsp: state.identity.numeroAsp, version: round.version, pieceId, removedAt: command.at },
    },
  ]);
};
