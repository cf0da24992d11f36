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
    // Keys expire (IDEMPOTENCY_KEY_TTL) and are purged; a claim is leased, so a request whose
    // process died leaves a key a retry can take (IDEMPOTENCY_LEASE); `claim` names the request
    // holding it, so a request that lost its lease cannot overwrite the answer of the one that took it.
    await tx.query(`ALTER TABLE idempotency_keys ADD COLUMN IF NOT EXISTS expires_at timestamptz`);
    await tx.query(`ALTER TABLE idempotency_keys ADD COLUMN IF NOT EXISTS lease_until timestamptz`);
    await tx.query(`ALTER TABLE idempotency_keys ADD COLUMN IF NOT EXISTS claim text`);
    // Rows of before the expiry: a day from their creation, as the default.
    await tx.query(
      `UPDATE idempotency_keys SET expires_at = created_at + interval '24 hours' WHERE expires_at IS NULL`,
    );
    await tx.query(
      `CREATE INDEX IF NOT EXISTS idempotency_keys_expires_idx ON idempotency_keys (expires_at)`,
    );
  });
};
