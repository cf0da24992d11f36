import type { PieceRef } from '@segur/domain';
import type { RecordedEvent } from '@segur/event-store';

const isPieceRef = (v: unknown): v is PieceRef =>
  typeof v === 'object' &&
  v !== null &&
  typeof (v as PieceRef).pieceId === 'string' &&
  typeof (v as PieceRef).sha256 === 'string' &&
  typeof (v as PieceRef).nomFichier === 'string';

/**
 * A piece of the dossier, searched in its whole history rather than the current state: a piece of
 * an earlier version (shown in Historique) or one removed from a draft stays consultable.
 */
export const findPieceInStream = (events: readonly RecordedEvent[], pieceId: string): PieceRef | null => {
  for (const e of events) {
    const data = e.data as { pieces?: unknown; piece?: unknown; piecesAdded?: unknown };
    const candidates: unknown[] = [
      ...(Array.isArray(data.pieces) ? (data.pieces as unknown[]) : []),
      ...(Array.isArray(data.piecesAdded) ? (data.piecesAdded as unknown[]) : []),
      data.piece,
    ];
    for (const c of candidates) if (isPieceRef(c) && c.pieceId === pieceId) return c;
  }
  return null;
};
