import type { EventStore } from './event-store.port';
import type { CursorOrigin } from './foreign-cursor.error';
import { encodePosition } from './postgres/postgres.position';
import type { SqlClient } from './sql-client';

// Unlike HEAD, no visibility filter: a position handed to a writer counts as soon as its
// transaction commits, even while an older transaction still hides it from subscribers.
const ISSUED_HEAD = `
SELECT transaction_id::text AS tx, global_position FROM es_events
ORDER BY transaction_id DESC, global_position DESC LIMIT 1`;

/** The store's kind of cursor and the newest position it has issued (X-Min-Position bounds). */
export const positionBounds = (
  store: EventStore,
  sql: SqlClient,
): { origin: CursorOrigin; issuedHead(): Promise<string | null> } => {
  if (store.name === 'postgres' || store.name === 'pglite')
    return {
      origin: 'postgres',
      issuedHead: async () => {
        const r = await sql.query<{ tx: string; global_position: string }>(ISSUED_HEAD);
        const head = r.rows[0];
        return head ? encodePosition(head.tx, head.global_position) : null;
      },
    };
  return {
    origin: store.name === 'eventstoredb' ? 'eventstoredb' : 'memory',
    issuedHead: () => store.headPosition(),
  };
};
