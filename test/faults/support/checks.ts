import { Client } from 'pg';

/** Streams whose count of `type` events is not exactly one, among `streams`. */
export const notExactlyOnce = async (
  db: Client,
  type: string,
  streams: readonly string[],
): Promise<Array<{ stream: string; n: number }>> => {
  const r = await db.query<{ stream: string; n: string }>(
    `SELECT s AS stream, count(e.stream_id) AS n
     FROM unnest($2::text[]) AS s LEFT JOIN es_events e ON e.stream_id = s AND e.event_type = $1
     GROUP BY s HAVING count(e.stream_id) <> 1`,
    [type, streams],
  );
  return r.rows.map((row) => ({ stream: row.stream, n: Number(row.n) }));
};

/** Events of the given types with no email_outbox row, or with several (impossible by key, checked anyway). */
export const emailsNotOnce = async (db: Client, types: readonly string[]): Promise<string[]> => {
  const r = await db.query<{ event_id: string; n: string }>(
    `SELECT e.event_id::text AS event_id, count(o.causation_event_id) AS n
     FROM es_events e LEFT JOIN email_outbox o ON o.causation_event_id = e.event_id::text
     WHERE e.event_type = ANY($1::text[])
     GROUP BY e.event_id HAVING count(o.causation_event_id) <> 1`,
    [types],
  );
  return r.rows.map((row) => `${row.event_id}×${row.n}`);
};

/** Dossier streams created by an import line that no accepted answer reported (a duplicate). */
export const unreportedDossiers = async (
  db: Client,
  reported: ReadonlySet<string>,
  seeded: ReadonlySet<string>,
) => {
  const r = await db.query<{ stream_id: string }>(
    `SELECT DISTINCT stream_id FROM es_events WHERE event_type = 'AvanceImported'`,
  );
  return r.rows.map((row) => row.stream_id).filter((s) => !reported.has(s) && !seeded.has(s));
};
