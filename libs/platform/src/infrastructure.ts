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
import { systemClock, type Clock } from '@segur/kernel';
import type { AppConfig } from './app-config';
import { FsBlobStore, type BlobStore } from './blob-store';
import { lockDataDir } from './data-dir-lock';
import { createLogger } from './logger';
import { connectionsLost } from './process-metrics';

/** Everything a process needs, opened once before Nest starts, closed once at shutdown. */
export interface Infrastructure {
  config: AppConfig;
  logger: Logger;
  sql: SqlClient;
  store: EventStore;
  decider: DossierDecider;
  blobs: BlobStore;
  clock: Clock;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** Tests and the bench hand in their own SqlClient (a schema per test file). */
  sql?: SqlClient;
  logger?: Logger;
  clock?: Clock;
  /** Creates the tables of every part of the engine before anything uses them. */
  migrate?: (sql: SqlClient, logger: Logger) => Promise<void>;
  /** Bench only (docs/performance.md): false appends without the audit hash chain. No setting offers it. */
  auditChain?: boolean;
}

export const openInfrastructure = async (
  config: AppConfig,
  options: OpenOptions = {},
): Promise<Infrastructure> => {
  const logger = options.logger ?? createLogger(config.logLevel, config.logFormat);
  let release: (() => void) | null = null;
  let sql: SqlClient;
  if (options.sql) {
    sql = options.sql;
  } else if (config.databaseUrl) {
    sql = await PgSqlClient.connect(config.databaseUrl, {
      applicationName: 'segur-dossiers',
      onConnectionLost: (where, error) => {
        connectionsLost().inc({ where });
        logger.warn({ where, err: error.message }, 'connexion PostgreSQL perdue : reconnexion');
      },
    });
  } else {
    // Embedded: one process owns DATA_DIR, or PGlite silently loses the other's writes.
    release = lockDataDir(config.dataDir).release;
    sql = await PgliteSqlClient.open(join(config.dataDir, 'pgdata'));
  }
  const chainOff = options.auditChain === false ? { auditChain: false } : {};
  const store: EventStore = await createEventStore(
    config.eventStore === 'memory'
      ? { kind: 'memory' }
      : config.eventStore === 'eventstoredb'
        ? { kind: 'eventstoredb', url: config.eventStoreUrl ?? '', ...chainOff }
        : { kind: 'postgres', sql, ...chainOff },
  );
  await options.migrate?.(sql, logger);
  let closed = false;
  return {
    config,
    logger,
    sql,
    store,
    decider: createDossierDecider(config.couloirs),
    blobs: new FsBlobStore(join(config.dataDir, 'blobs')),
    clock: options.clock ?? systemClock,
    async close() {
      if (closed) return;
      closed = true;
      await store.close().catch(() => undefined);
      if (!options.sql) await sql.close().catch(() => undefined);
      release?.();
    },
  };
};
