import { COMMAND_LOG_MIGRATIONS } from '@segur/commands';
import type { SqlClient } from '@segur/event-store';
import type { Logger } from 'pino';
import { IMPORT_MIGRATIONS } from '@segur/imports';
import type { AppConfig } from '@segur/platform';
import { migrateProjections } from '@segur/projections';
import { WEBHOOK_MIGRATIONS } from '@segur/webhooks';
import { NO_TIMERS, buildProjections } from '@segur/worker';

// Tables that are not read models (nothing here is rebuilt from events): the command log, the
// imports' bookkeeping, the webhook subscriptions.
const MIGRATIONS = [...COMMAND_LOG_MIGRATIONS, ...IMPORT_MIGRATIONS, ...WEBHOOK_MIGRATIONS];

/**
 * Every table of the engine, from the first start of ANY process: an API started before its worker
 * answers empty reads and readiness, not 500s. Idempotent, and serialised between processes.
 */
export const migrateEngine = async (sql: SqlClient, config: AppConfig, logger: Logger): Promise<void> => {
  // Two processes starting together must not race on DDL.
  await sql.transaction(async (tx) => {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext('segur:application-migrations'))`);
    for (const m of MIGRATIONS) await tx.query(m);
  });
  await migrateProjections(sql, buildProjections(config, { scheduler: NO_TIMERS, logger }));
};
