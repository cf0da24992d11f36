import type { SqlClient } from '@segur/event-store';
import { COMMAND_LOG_MIGRATIONS } from '../commands/command-log';
import { IMPORT_MIGRATIONS } from '../imports/imports.migrations';
import { WEBHOOK_MIGRATIONS } from '../webhooks/webhook.migrations';

// Tables of the application layer (not read models: nothing here is rebuilt from events).
const MIGRATIONS = [
  ...COMMAND_LOG_MIGRATIONS,
  `CREATE TABLE IF NOT EXISTS idempotency_keys (
     key          text NOT NULL,
     principal    text NOT NULL,
     request_hash text NOT NULL,
     status       integer,
     headers      jsonb,
     body         jsonb,
     created_at   timestamptz NOT NULL DEFAULT now(),
     PRIMARY KEY (principal, key)
   )`,
  ...IMPORT_MIGRATIONS,
  ...WEBHOOK_MIGRATIONS,
];

export const migrateApplication = async (sql: SqlClient): Promise<void> => {
  // Two processes starting together must not race on DDL.
  await sql.transaction(async (tx) => {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext('segur:application-migrations'))`);
    for (const m of MIGRATIONS) await tx.query(m);
  });
};
