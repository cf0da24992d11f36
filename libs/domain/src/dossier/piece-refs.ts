import type { DossierEvent, PieceRef } from './dossier.events';

/** The event types whose data names pieces (read by `pieceRefsOf`); a reader may filter on them. */
export const PIECE_CARRYING_EVENT_TYPES: readonly DossierEvent['type'][] = [
  'AvanceImported',
  'SoldeImported',
  'PieceAdded',
  'ModificationSubmitted',
];

const isPieceRef = (v: unknown): v is PieceRef =>
  typeof v === 'object' &&
  v !== null &&
  typeof (v as PieceRef).pieceId === 'string' &&
  typeof (v as PieceRef).sha256 === 'string' &&
  typeof (v as PieceRef).nomFichier === 'string';

/**
 * The pieces an event's data names: an import's `pieces`, a submitted round's `piecesAdded`, an
 * added `piece`. The one reading of where pieces sit in events, used to find a piece to consult and
 * to know which stored bytes are still referenced.
 */
export const pieceRefsOf = (data: unknown): PieceRef[] => {
  if (typeof data !== 'object' || data === null) return [];
  const d = data as { pieces?: unknown; piece?: unknown; piecesAdded?: unknown };
  const candidates: unknown[] = [
    ...(Array.isArray(d.pieces) ? (d.pieces as unknown[]) : []),
    ...(Array.isArray(d.piecesAdded) ? (d.piecesAdded as unknown[]) : []),
    d.piece,
  ];
  return candidates.filter(isPieceRef);
};
