import type { SqlClient } from '@segur/event-store';

/** The answers kept for `Idempotency-Key`: an HTTP concern, so the API creates its table. */
export const migrateIdempotency = async (sql: SqlClient): Promise<void> => {
  // Two API processes starting together must not race on DDL.
  await sql.transaction(async (tx) => {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext('segur:api-migrations'))`);
    await tx.query(`CREATE TABLE IF NOT EXISTS idempotency_keys (
       key          text NOT NULL,
       principal    text NOT NULL,
       request_hash text NOT NULL,
       status       integer,
       headers      jsonb,
       body         jsonb,
       created_at   timestamptz NOT NULL DEFAULT now(),
       PRIMARY KEY (principal, key)
     )`);
  });
};
