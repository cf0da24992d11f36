import type { SqlExecutor } from '@segur/event-store';
import { type DeadlineRow, type DeadlineStatus, toDeadlineRow } from './deadline';

export interface DeadlineStats {
  pending: number;
  /** PENDING and past due (by the database clock): the `/metrics` alarm. */
  overdue: number;
  fired: number;
  cancelled: number;
  /** fired_at − due_at over fired deadlines, in milliseconds; null when none fired yet. */
  latenessMs: { p50: number | null; p99: number | null };
}

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

export const deadlineStats = async (sql: SqlExecutor): Promise<DeadlineStats> => {
  const r = await sql.query<Record<string, unknown>>(
    `SELECT count(*) FILTER (WHERE status = 'PENDING') AS pending,
            count(*) FILTER (WHERE status = 'PENDING' AND due_at < now()) AS overdue,
            count(*) FILTER (WHERE status = 'FIRED') AS fired,
            count(*) FILTER (WHERE status = 'CANCELLED') AS cancelled,
            percentile_cont(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM (fired_at - due_at)) * 1000)
              FILTER (WHERE status = 'FIRED' AND fired_at IS NOT NULL) AS p50,
            percentile_cont(0.99) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM (fired_at - due_at)) * 1000)
              FILTER (WHERE status = 'FIRED' AND fired_at IS NOT NULL) AS p99
       FROM deadlines`,
  );
  const row = r.rows[0] ?? {};
  return {
    pending: num(row.pending) ?? 0,
    overdue: num(row.overdue) ?? 0,
    fired: num(row.fired) ?? 0,
    cancelled: num(row.cancelled) ?? 0,
    latenessMs: { p50: num(row.p50), p99: num(row.p99) },
  };
};

export interface ListDeadlinesFilter {
  status?: DeadlineStatus;
  /** true: PENDING and past due only. */
  overdue?: boolean;
  numeroAsp?: string;
  limit?: number;
}

/** Backs `GET /deadlines` (back office: lists by overdue deadline). Ordered by due date. */
export const listDeadlines = async (
  sql: SqlExecutor,
  f: ListDeadlinesFilter = {},
): Promise<DeadlineRow[]> => {
  const where: string[] = [];
  const params: unknown[] = [];
  if (f.status) {
    params.push(f.status);
    where.push(`status = $${params.length}`);
  }
  if (f.overdue) where.push(`status = 'PENDING' AND due_at < now()`);
  if (f.numeroAsp) {
    params.push(f.numeroAsp);
    where.push(`numero_asp = $${params.length}`);
  }
  params.push(Math.min(Math.max(f.limit ?? 100, 1), 1000));
  const r = await sql.query<Record<string, unknown>>(
    `SELECT * FROM deadlines ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY due_at, job_id LIMIT $${params.length}`,
    params,
  );
  return r.rows.map(toDeadlineRow);
};
