import type { SqlExecutor } from '@segur/event-store';
import type { CommandLogEntry } from '../commands/command-log';

/**
 * The command log of a chunk of import lines in one statement: a per-line insert would cost more
 * than deciding and appending the lines themselves. Payloads and actors travel as one JSON array
 * text each rather than text[]: node-postgres escapes every element of an array literal with regex
 * passes, costly on quote-heavy JSON, while a join is free and PostgreSQL parses the array once.
 */
export const recordCommandsInBulk = async (
  sql: SqlExecutor,
  entries: readonly CommandLogEntry[],
): Promise<void> => {
  if (entries.length === 0) return;
  await sql.query(
    `INSERT INTO command_log (id, type, stream_id, payload, actor, correlation_id, outcome, error_code, stream_version)
     SELECT t.id, t.type, t.stream_id, p.value, a.value, t.correlation_id, t.outcome, t.error_code, t.stream_version
     FROM unnest($1::text[], $2::text[], $3::text[], $6::text[], $7::text[], $8::text[], $9::int[]) WITH ORDINALITY
       AS t(id, type, stream_id, correlation_id, outcome, error_code, stream_version, n)
     JOIN jsonb_array_elements($4::jsonb) WITH ORDINALITY AS p(value, n) ON p.n = t.n
     JOIN jsonb_array_elements($5::jsonb) WITH ORDINALITY AS a(value, n) ON a.n = t.n
     ORDER BY t.n
     ON CONFLICT (id) DO NOTHING`,
    [
      entries.map((e) => e.id),
      entries.map((e) => e.type),
      entries.map((e) => e.streamId),
      `[${entries.map((e) => JSON.stringify(e.payload)).join(',')}]`,
      `[${entries.map((e) => JSON.stringify(e.actor)).join(',')}]`,
      entries.map((e) => e.correlationId),
      entries.map((e) => e.outcome),
      entries.map((e) => e.errorCode),
      entries.map((e) => e.streamVersion),
    ],
  );
};
