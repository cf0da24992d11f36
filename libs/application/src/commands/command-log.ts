import type { SqlClient, SqlExecutor } from '@segur/event-store';

// Every command handled, accepted or refused, is kept: auditors see refused attempts too, and a
// recorded command can later be re-decided under changed rules.
export const COMMAND_LOG_MIGRATIONS = [
  `
CREATE TABLE IF NOT EXISTS command_log (
  id            text PRIMARY KEY,
  type          text NOT NULL,
  stream_id     text,
  payload       jsonb NOT NULL,
  actor         jsonb NOT NULL,
  correlation_id text NOT NULL,
  handled_at    timestamptz NOT NULL DEFAULT now(),
  outcome       text NOT NULL,
  error_code    text,
  stream_version integer
)`,
  `CREATE INDEX IF NOT EXISTS command_log_stream_idx ON command_log (stream_id, handled_at)`,
];

export interface CommandLogEntry {
  id: string;
  type: string;
  streamId: string | null;
  payload: unknown;
  actor: unknown;
  correlationId: string;
  outcome: 'accepted' | 'unchanged' | 'refused' | 'conflict';
  errorCode: string | null;
  streamVersion: number | null;
}

export class CommandLog {
  constructor(private readonly sql: SqlClient) {}

  async record(e: CommandLogEntry, tx: SqlExecutor = this.sql): Promise<void> {
    await tx.query(
      `INSERT INTO command_log (id, type, stream_id, payload, actor, correlation_id, outcome, error_code, stream_version)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (id) DO NOTHING`,
      [
        e.id,
        e.type,
        e.streamId,
        JSON.stringify(e.payload),
        JSON.stringify(e.actor),
        e.correlationId,
        e.outcome,
        e.errorCode,
        e.streamVersion,
      ],
    );
  }
}
