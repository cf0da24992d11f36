import { join } from 'node:path';
import type { Logger } from 'pino';
import { createDossierDecider, type DossierDecider } from '@segur/domain';
import {
  PgSqlClient,
  PgliteSqlClient,
  createEventStore,
  type EventStore,
  type SqlClient,
} from '@segur/event-store';
import type { AppConfig } from '../config/app-config';
import { lockDataDir } from '../config/data-dir-lock';
import { CommandLog } from '../commands/command-log';
import { DossierCommandService } from '../commands/dossier-command.service';
import { createLogger } from './logger';
import { migrateApplication } from './application.migrations';
import { migrateProjections } from '@segur/projections';
import { NO_TIMERS, buildProjections } from '../worker/projections';

/** Everything a process needs, opened once before Nest starts, closed once at shutdown. */
export interface Infrastructure {
  config: AppConfig;
  logger: Logger;
  sql: SqlClient;
  store: EventStore;
  decider: DossierDecider;
  commands: DossierCommandService;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** Tests and the bench hand in their own SqlClient (a schema per test file). */
  sql?: SqlClient;
  logger?: Logger;
}

export const openInfrastructure = async (
  config: AppConfig,
  options: OpenOptions = {},
): Promise<Infrastructure> => {
  const logger = options.logger ?? createLogger(config.logLevel);
  let release: (() => void) | null = null;
  let sql: SqlClient;
  if (options.sql) {
    sql = options.sql;
  } else if (config.databaseUrl) {
    sql = await PgSqlClient.connect(config.databaseUrl, { applicationName: 'segur-dossiers' });
  } else {
    // Embedded: one process owns DATA_DIR, or PGlite silently loses the other's writes.
    release = lockDataDir(config.dataDir).release;
    sql = await PgliteSqlClient.open(join(config.dataDir, 'pgdata'));
  }
  const store: EventStore = await createEventStore(
    config.eventStore === 'memory'
      ? { kind: 'memory' }
      : config.eventStore === 'eventstoredb'
        ? { kind: 'eventstoredb', url: config.eventStoreUrl ?? '' }
        : { kind: 'postgres', sql },
  );
  await migrateApplication(sql);
  // Read-model tables exist from the first start of ANY process: an API started before its
  // worker answers empty reads and readiness, not 500s.
  await migrateProjections(sql, buildProjections(config, { scheduler: NO_TIMERS, logger }));
  const decider = createDossierDecider(config.couloirs);
  const commands = new DossierCommandService(store, decider, new CommandLog(sql));
  let closed = false;
  return {
    config,
    logger,
    sql,
    store,
    decider,
    commands,
    async close() {
      if (closed) return;
      closed = true;
      await store.close().catch(() => undefined);
      if (!options.sql) await sql.close().catch(() => undefined);
      release?.();
    },
  };
};
