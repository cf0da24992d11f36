import type { SqlExecutor } from '@segur/event-store';
import type { CommandLogEntry } from '../commands/command-log';

/**
 * The command log of a chunk of import lines in one statement: a per-line insert would cost more
 * than deciding and appending the lines themselves.
 */
export const recordCommandsInBulk = async (
  sql: SqlExecutor,
  entries: readonly CommandLogEntry[],
): Promise<void> => {
  if (entries.length === 0) return;
  await sql.query(
    `INSERT INTO command_log (id, type, stream_id, payload, actor, correlation_id, outcome, error_code, stream_version)
     SELECT id, type, stream_id, payload::jsonb, actor::jsonb, correlation_id, outcome, error_code, stream_version
     FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::int[])
       AS t(id, type, stream_id, payload, actor, correlation_id, outcome, error_code, stream_version)
     ON CONFLICT (id) DO NOTHING`,
    [
      entries.map((e) => e.id),
      entries.map((e) => e.type),
      entries.map((e) => e.streamId),
      entries.map((e) => JSON.stringify(e.payload)),
      entries.map((e) => JSON.stringify(e.actor)),
      entries.map((e) => e.correlationId),
      entries.map((e) => e.outcome),
      entries.map((e) => e.errorCode),
      entries.map((e) => e.streamVersion),
    ],
  );
};
