import type { SqlExecutor } from '@segur/event-store';
import type { CommandLogEntry } from './command-log-entry';

/** One row of the statement's JSON: the table's column names, so jsonb_to_recordset maps them. */
interface Row {
  id: string;
  type: string;
  stream_id: string | null;
  payload: unknown;
  actor: unknown;
  correlation_id: string;
  outcome: CommandLogEntry['outcome'];
  error_code: string | null;
  stream_version: number | null;
  decided_at: string;
}

export interface RecordInBulkOptions {
  /**
   * Every id was made for this very call (a new command id per entry, never sent by a client) and
   * the statement runs in the caller's transaction: a plain INSERT instead of ON CONFLICT DO NOTHING,
   * whose speculative insertion costs each row a pre-check and a second WAL record. A duplicate
   * would fail the statement, and the transaction with it.
   */
  freshIds?: boolean;
}

/**
 * The command log of a chunk of import lines in one statement: a per-line insert would cost more
 * than deciding and appending the lines themselves. The whole chunk travels as one JSON array text
 * (one native JSON.stringify) read by jsonb_to_recordset: node-postgres escapes every element of a
 * text[] literal with regex passes (UUIDs, stream ids, quote-heavy payloads), which cost more than
 * the stringify itself; PostgreSQL parses the array once.
 */
export const recordCommandsInBulk = async (
  sql: SqlExecutor,
  entries: readonly CommandLogEntry[],
  options: RecordInBulkOptions = {},
): Promise<void> => {
  if (entries.length === 0) return;
  const rows = new Array<Row>(entries.length);
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i] as CommandLogEntry;
    rows[i] = {
      id: e.id,
      type: e.type,
      stream_id: e.streamId,
      payload: e.payload,
      actor: e.actor,
      correlation_id: e.correlationId,
      outcome: e.outcome,
      error_code: e.errorCode,
      stream_version: e.streamVersion,
      decided_at: e.at,
    };
  }
  await sql.query(
    `INSERT INTO command_log (id, type, stream_id, payload, actor, correlation_id, outcome, error_code, stream_version, decided_at)
     SELECT t.id, t.type, t.stream_id, t.payload, t.actor, t.correlation_id, t.outcome, t.error_code, t.stream_version, t.decided_at
     FROM ROWS FROM (jsonb_to_recordset($1::jsonb) AS (id text, type text, stream_id text, payload jsonb,
       actor jsonb, correlation_id text, outcome text, error_code text, stream_version int, decided_at text)) WITH ORDINALITY
       AS t(id, type, stream_id, payload, actor, correlation_id, outcome, error_code, stream_version, decided_at, n)
     ORDER BY t.n${options.freshIds ? '' : '\n     ON CONFLICT (id) DO NOTHING'}`,
    [JSON.stringify(rows)],
  );
};
