import type { RecordedEvent, SqlExecutor } from '@segur/event-store';
import type { Projection } from '../projection';

/** Counts how many times each event was applied: exactly-once means every `n` is 1. */
export const createCountingProjection = (name = 'counting', table = 'counted_events'): Projection => ({
  name,
  migrations: [
    `CREATE TABLE IF NOT EXISTS ${table} (id text PRIMARY KEY, position text NOT NULL, n integer NOT NULL)`,
  ],
  tables: [table],
  async apply(tx: SqlExecutor, event: RecordedEvent): Promise<void> {
    await tx.query(
      `INSERT INTO ${table} (id, position, n) VALUES ($1, $2, 1) ON CONFLICT (id) DO UPDATE SET n = ${table}.n + 1`,
      [event.id, event.position],
    );
  },
});

export const countStats = async (
  sql: SqlExecutor,
  table = 'counted_events',
): Promise<{ rows: number; total: number; max: number }> => {
  const r = await sql.query<{ rows: string; total: string | null; max: number | null }>(
    `SELECT count(*) AS rows, sum(n) AS total, max(n) AS max FROM ${table}`,
  );
  const x = r.rows[0]!;
  return { rows: Number(x.rows), total: Number(x.total ?? 0), max: x.max ?? 0 };
};
