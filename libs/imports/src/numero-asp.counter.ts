import type { SqlExecutor } from '@segur/event-store';

/**
 * Reserves `count` consecutive sequence numbers of a couloir and returns the first one.
 * One statement, outside any caller transaction: the row lock is held only for that statement,
 * so concurrent imports serialise on the counter for microseconds, and numbers taken by a line
 * that fails afterwards are simply skipped, never handed out twice.
 */
export const reserveNumeroAspSequence = async (
  sql: SqlExecutor,
  couloir: string,
  count: number,
): Promise<number> => {
  const r = await sql.query<{ last_value: number }>(
    `INSERT INTO numero_asp_counters (couloir, last_value) VALUES ($1, $2)
     ON CONFLICT (couloir) DO UPDATE SET last_value = numero_asp_counters.last_value + excluded.last_value
     RETURNING last_value`,
    [couloir, count],
  );
  const last = Number(r.rows[0]?.last_value);
  return last - count + 1;
};
