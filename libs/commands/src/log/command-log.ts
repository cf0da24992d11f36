import type { AppendCompanion, SqlClient, SqlExecutor } from '@segur/event-store';
import { recordCommandsInBulk } from './command-log.bulk';
import type { CommandLogEntry } from './command-log-entry';

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
  // The command's own instant (ISO text, exactly as decided): entries from before it have NULL, and
  // the replay cannot decide them again (docs/replay.md).
  `ALTER TABLE command_log ADD COLUMN IF NOT EXISTS decided_at text`,
];

/**
 * Group commit: entries recorded while a write is in flight go out together in the next one, one
 * statement and one commit for many commands instead of one each (a commit per HTTP command was a
 * large share of the server's round trips). Each caller still waits for its own entry to be
 * written, so an answered command is always in the log.
 */
export class CommandLog {
  private pending: Array<{ entry: CommandLogEntry; done: (error?: Error) => void }> = [];
  private flushing = false;

  constructor(private readonly sql: SqlClient) {}

  async record(e: CommandLogEntry, tx?: SqlExecutor): Promise<void> {
    if (tx) return recordCommandsInBulk(tx, [e]);
    await new Promise<void>((resolve, reject) => {
      this.pending.push({
        entry: e,
        done: (error) => (error === undefined ? resolve() : reject(error)),
      });
      if (!this.flushing) void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    while (this.pending.length > 0) {
      const batch = this.pending;
      this.pending = [];
      try {
        await recordCommandsInBulk(
          this.sql,
          batch.map((b) => b.entry),
        );
        for (const b of batch) b.done();
      } catch (error) {
        const failure = error instanceof Error ? error : new Error('command_log : écriture impossible');
        for (const b of batch) b.done(failure);
      }
    }
    this.flushing = false;
  }
}

// One row per accepted command of the statement (appends may be grouped, see AppendCompanion).
const ACCEPTED_COMMANDS = `INSERT INTO command_log (id, type, stream_id, payload, actor, correlation_id, outcome, error_code, stream_version, decided_at)
  SELECT row->>'id', row->>'type', row->>'streamId', row->'payload', row->'actor', row->>'correlationId', 'accepted', NULL, last_version::int, row->>'at'
  FROM companions
  ON CONFLICT (id) DO NOTHING`;

/**
 * An accepted command's log entry written by its append's own statement (see AppendCompanion): one
 * commit per command instead of two, and the entry exists if and only if the events do. Its
 * stream_version is the last one appended. Refused, no-op and conflicting commands append nothing and
 * keep going through CommandLog.record.
 */
export const acceptedCommandCompanion = (entry: CommandLogEntry): AppendCompanion => ({
  name: 'command_log_accepted',
  sql: ACCEPTED_COMMANDS,
  row: {
    id: entry.id,
    type: entry.type,
    streamId: entry.streamId,
    payload: entry.payload,
    actor: entry.actor,
    correlationId: entry.correlationId,
    at: entry.at,
  },
});
