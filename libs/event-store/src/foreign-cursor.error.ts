/** Which store issued a cursor, recognisable from its text (see each adapter's position codec). */
export type CursorOrigin = 'postgres' | 'eventstoredb' | 'memory' | 'unknown';

/** An EventStoreDB position carries this prefix; PostgreSQL's stay bare (stored checkpoints keep working). */
export const ESDB_CURSOR_PREFIX = 'esdb:';

const PG_OR_LEGACY = /^\d{20}-\d{20}$/;
const MEMORY = /^\d{20}$/;

export const cursorOrigin = (cursor: string): CursorOrigin => {
  if (cursor.startsWith(ESDB_CURSOR_PREFIX)) return 'eventstoredb';
  if (PG_OR_LEGACY.test(cursor)) return 'postgres';
  if (MEMORY.test(cursor)) return 'memory';
  return 'unknown';
};

const NAMES: Record<CursorOrigin, string> = {
  postgres: 'PostgreSQL',
  eventstoredb: 'EventStoreDB',
  memory: 'mémoire',
  unknown: 'inconnu',
};

/**
 * A checkpoint or cursor written by another kind of store (a deployment that switched stores, a
 * copied table): positions of two stores do not designate the same events, so reading from it would
 * silently skip or repeat events. A RangeError, as every malformed cursor (the feed answers 400).
 */
export class ForeignCursorError extends RangeError {
  constructor(
    readonly cursor: string,
    readonly store: CursorOrigin,
    readonly origin: CursorOrigin,
    hint = '',
  ) {
    super(
      `Curseur « ${cursor} » émis par un store ${NAMES[origin]}, refusé par le store ${NAMES[store]} : ` +
        `les positions de deux stores ne désignent pas les mêmes événements${hint}`,
    );
    this.name = 'ForeignCursorError';
  }
}
