import type { DossierCommand, DossierCommandType, Actor } from '@segur/domain';
import type { SqlExecutor } from '@segur/event-store';
import type { CommandLogOutcome } from '../log/command-log-entry';

/** One command of `command_log` as the replay reads it back. */
export interface LoggedCommand {
  id: string;
  type: DossierCommandType;
  streamId: string;
  payload: unknown;
  actor: Actor;
  outcome: Exclude<CommandLogOutcome, 'conflict'>;
  errorCode: string | null;
  streamVersion: number | null;
  /** The command's instant; null for entries written before it was logged (not re-decidable). */
  at: string | null;
}

/** Which commands a replay re-decides: by their own instant, `from` included, `to` excluded. */
export interface ReplayWindow {
  from?: string | undefined;
  to?: string | undefined;
}

// `decided_at` is ISO text from toISOString: the same fixed format everywhere, so text order is
// time order, and the window's bounds are normalised to it (see replayWindowOf).
const windowSql = (w: ReplayWindow, first: number): { sql: string; params: string[] } => {
  const parts: string[] = [];
  const params: string[] = [];
  if (w.from !== undefined) {
    params.push(w.from);
    parts.push(`decided_at >= $${first + params.length - 1}`);
  }
  if (w.to !== undefined) {
    params.push(w.to);
    parts.push(`decided_at < $${first + params.length - 1}`);
  }
  return { sql: parts.map((p) => ` AND ${p}`).join(''), params };
};

// Conflicts decided nothing (the append lost its race and the command was answered 409): there
// is no decision to compare, so they are not read.
const DECISIONS = `stream_id IS NOT NULL AND outcome <> 'conflict'`;

/** How many recorded decisions the window holds (the progress bar's total). */
export const countLoggedDecisions = async (sql: SqlExecutor, w: ReplayWindow): Promise<number> => {
  const f = windowSql(w, 1);
  const r = await sql.query<{ n: string }>(
    `SELECT count(*) AS n FROM command_log WHERE ${DECISIONS}${f.sql}`,
    f.params,
  );
  return Number(r.rows[0]?.n ?? 0);
};

/**
 * The next page of streams that have recorded decisions, after `after` in stream id order (keyset
 * pagination: the log is never read whole, whatever its size).
 */
export const nextStreamPage = async (
  sql: SqlExecutor,
  after: string | null,
  limit: number,
  w: ReplayWindow,
): Promise<string[]> => {
  const f = windowSql(w, 3);
  const r = await sql.query<{ stream_id: string }>(
    `SELECT DISTINCT stream_id FROM command_log
      WHERE ${DECISIONS} AND stream_id > $1${f.sql}
      ORDER BY stream_id LIMIT $2`,
    [after ?? '', limit, ...f.params],
  );
  return r.rows.map((row) => row.stream_id);
};

interface Row {
  id: string;
  type: string;
  stream_id: string;
  payload: unknown;
  actor: Actor;
  outcome: LoggedCommand['outcome'];
  error_code: string | null;
  stream_version: number | null;
  decided_at: string | null;
}

/** The recorded decisions of these streams (the window's only), grouped by stream. */
export const readLoggedCommands = async (
  sql: SqlExecutor,
  streamIds: readonly string[],
  w: ReplayWindow,
): Promise<Map<string, LoggedCommand[]>> => {
  const f = windowSql(w, 2);
  const r = await sql.query<Row>(
    `SELECT id, type, stream_id, payload, actor, outcome, error_code, stream_version, decided_at
       FROM command_log
      WHERE ${DECISIONS} AND stream_id = ANY($1::text[])${f.sql}
      ORDER BY stream_id, handled_at, id`,
    [streamIds, ...f.params],
  );
  const out = new Map<string, LoggedCommand[]>();
  for (const row of r.rows) {
    const entry: LoggedCommand = {
      id: row.id,
      type: row.type as DossierCommandType,
      streamId: row.stream_id,
      payload: row.payload,
      actor: row.actor,
      outcome: row.outcome,
      errorCode: row.error_code,
      streamVersion: row.stream_version,
      at: row.decided_at,
    };
    const list = out.get(row.stream_id);
    if (list) list.push(entry);
    else out.set(row.stream_id, [entry]);
  }
  return out;
};

/** The command as the decider got it, rebuilt from its log entry (null: its instant was not logged). */
export const commandOf = (entry: LoggedCommand): DossierCommand | null =>
  entry.at === null
    ? null
    : ({ type: entry.type, data: entry.payload, actor: entry.actor, at: entry.at } as DossierCommand);
