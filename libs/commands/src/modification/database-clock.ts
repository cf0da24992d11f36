import type { SqlExecutor } from '@segur/event-store';
import { toIso } from '@segur/kernel';

/**
 * The DATABASE clock as an ISO instant: what timers decide at. The scheduler checked `due_at`
 * against it, and a worker whose own clock is behind must not be told "not yet" forever.
 */
export const databaseNow = async (sql: SqlExecutor): Promise<string> => {
  const r = await sql.query<{ now: Date | string }>('SELECT now() AS now');
  return toIso(r.rows[0]?.now ?? new Date());
};
