import { pieceRefsOf, type PieceRef } from '@segur/domain';
import type { RecordedEvent } from '@segur/event-store';

/**
 * A piece of the dossier, searched in its whole history rather than the current state: a piece of
 * an earlier version (shown in Historique) or one removed from a draft stays consultable.
 */
export const findPieceInStream = (events: readonly RecordedEvent[], pieceId: string): PieceRef | null => {
  for (const e of events) for (const p of pieceRefsOf(e.data)) if (p.pieceId === pieceId) return p;
  return null;
};
