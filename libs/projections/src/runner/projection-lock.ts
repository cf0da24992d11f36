import type { SqlClient } from '@segur/event-store';

// PGlite is one session: its advisory locks are re-entrant, so two runners in one process would
// both "get" the lock. This registry keeps that case single-runner too.
const localOwners = new WeakMap<SqlClient, Set<string>>();
const takeLocal = (sql: SqlClient, name: string): boolean => {
  let owned = localOwners.get(sql);
  if (!owned) localOwners.set(sql, (owned = new Set()));
  if (owned.has(name)) return false;
  owned.add(name);
  return true;
};
const releaseLocal = (sql: SqlClient, name: string): void => void localOwners.get(sql)?.delete(name);

/**
 * Runs `fn` holding the projection's advisory lock (session-level, on one pooled connection);
 * false, without running it, when another runner holds the projection.
 */
export const withProjectionLock = async (
  sql: SqlClient,
  name: string,
  lockKey: string,
  fn: () => Promise<void>,
): Promise<boolean> => {
  if (!takeLocal(sql, name)) return false;
  try {
    return await sql.withConnection(async (conn) => {
      const r = await conn.query<{ ok: boolean }>('SELECT pg_try_advisory_lock(hashtext($1)) AS ok', [
        lockKey,
      ]);
      if (r.rows[0]?.ok !== true) return false;
      try {
        await fn();
      } finally {
        // If the connection broke, the server already released the lock with the session.
        await conn.query('SELECT pg_advisory_unlock(hashtext($1))', [lockKey]).catch(() => undefined);
      }
      return true;
    });
  } finally {
    releaseLocal(sql, name);
  }
};
