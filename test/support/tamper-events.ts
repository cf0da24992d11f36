import { DOSSIER_STREAM_PREFIX } from '@segur/domain';
import type { SqlClient, SqlExecutor } from '@segur/event-store';

/**
 * What an attacker with database rights does (as libs/event-store/src/audit/audit-trail.int.spec.ts):
 * the append-only trigger off for these statements only, rows rewritten in SQL, nothing re-hashed
 * or re-signed. Works the same on PostgreSQL and PGlite.
 */
const asSuperuser = (sql: SqlClient, fn: (tx: SqlExecutor) => Promise<void>): Promise<void> =>
  sql.transaction(async (tx) => {
    await tx.query('ALTER TABLE es_events DISABLE TRIGGER es_events_no_update_delete');
    await fn(tx);
    await tx.query('ALTER TABLE es_events ENABLE TRIGGER es_events_no_update_delete');
  });

export interface Tampered {
  eventId: string;
  type: string;
  /** Where in the event's data the string changed, and its value before and after. */
  path: string[];
  before: string;
  after: string;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** The first non-empty string of the data (keys in sorted order), and its path for `jsonb_set`. */
const firstString = (value: Json, path: string[] = []): { path: string[]; value: string } | null => {
  if (typeof value === 'string') return value === '' ? null : { path, value };
  const entries: [string, Json][] = Array.isArray(value)
    ? value.map((v, i) => [String(i), v])
    : value !== null && typeof value === 'object'
      ? Object.keys(value)
          .sort()
          .map((k) => [k, value[k] as Json])
      : [];
  for (const [key, child] of entries) {
    const found = firstString(child, [...path, key]);
    if (found) return found;
  }
  return null;
};

/** A text[] literal: PGlite and pg do not map JavaScript arrays the same way; both read this. */
const arrayLiteral = (items: readonly string[]): string =>
  `{${items.map((k) => `"${k.replace(/["\\]/g, (c) => `\\${c}`)}"`).join(',')}}`;

/**
 * Changes the last character of the first string in the data of a dossier's event at
 * `streamVersion` (one byte when it is ASCII), its stored hash left as it was. Returns which event
 * and what changed.
 */
export const tamperEventData = async (
  sql: SqlClient,
  numeroAsp: string,
  streamVersion: number,
): Promise<Tampered> => {
  const streamId = `${DOSSIER_STREAM_PREFIX}${numeroAsp}`;
  const { rows } = await sql.query<{ id: string; type: string; data: Json | string }>(
    'SELECT event_id::text AS id, event_type AS type, data FROM es_events WHERE stream_id = $1 AND stream_version = $2',
    [streamId, streamVersion],
  );
  const row = rows[0];
  if (!row) throw new Error(`aucun événement ${streamId} version ${streamVersion}`);
  const data = (typeof row.data === 'string' ? JSON.parse(row.data) : row.data) as Json;
  const leaf = firstString(data);
  if (!leaf) throw new Error(`aucune chaîne à modifier dans ${row.type}`);
  const after = `${leaf.value.slice(0, -1)}${leaf.value.endsWith('X') ? 'Y' : 'X'}`;
  await asSuperuser(sql, async (tx) => {
    const updated = await tx.query(
      `UPDATE es_events SET data = jsonb_set(data, $3::text[], to_jsonb($4::text))
       WHERE stream_id = $1 AND stream_version = $2`,
      [streamId, streamVersion, arrayLiteral(leaf.path), after],
    );
    if (updated.rowCount !== 1) throw new Error(`UPDATE de ${streamId} v${streamVersion} sans effet`);
  });
  return { eventId: row.id, type: row.type, path: leaf.path, before: leaf.value, after };
};

/** The dossier's events as a store written before the chain holds them: both hash columns NULL. */
export const unchainDossier = (sql: SqlClient, numeroAsp: string): Promise<void> =>
  asSuperuser(sql, async (tx) => {
    await tx.query('UPDATE es_events SET prev_hash = NULL, hash = NULL WHERE stream_id = $1', [
      `${DOSSIER_STREAM_PREFIX}${numeroAsp}`,
    ]);
  });
