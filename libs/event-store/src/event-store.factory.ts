import type { EventStore } from './event-store.port';
import { InMemoryEventStore } from './memory/memory.event-store';
import { PostgresEventStore } from './postgres/postgres.event-store';
import { migrate } from './postgres/postgres.migrations';
import type { SqlClient } from './sql-client';
import type { Upcasters } from './upcasters';

type EventStoreDbModule = typeof import('./eventstoredb/eventstoredb.event-store');

export type EventStoreConfig = (
  | { kind: 'memory' }
  /** `pg` (server mode) or PGlite (embedded mode); migrated before the store is returned. */
  | {
      kind: 'postgres';
      sql: SqlClient;
      /** Bench only: false appends without the hash chain (PostgresEventStoreOptions.auditChain). */
      auditChain?: boolean;
    }
  | {
      kind: 'eventstoredb';
      url: string;
      /** Bench only: false appends without the hash chain (EventStoreDbEventStoreOptions.auditChain). */
      auditChain?: boolean;
    }
) & { upcasters?: Upcasters };

export const createEventStore = async (config: EventStoreConfig): Promise<EventStore> => {
  switch (config.kind) {
    case 'memory':
      return new InMemoryEventStore({ upcasters: config.upcasters });
    case 'postgres':
      await migrate(config.sql);
      return new PostgresEventStore(config.sql, {
        upcasters: config.upcasters,
        ...(config.auditChain === false ? { auditChain: false } : {}),
      });
    case 'eventstoredb': {
      // Required only in this mode, so the gRPC client stays out of the embedded and server modes.
      /* eslint-disable @typescript-eslint/no-require-imports */
      const { EventStoreDbEventStore } =
        require('./eventstoredb/eventstoredb.event-store') as EventStoreDbModule;
      /* eslint-enable @typescript-eslint/no-require-imports */
      return new EventStoreDbEventStore(config.url, {
        upcasters: config.upcasters,
        ...(config.auditChain === false ? { auditChain: false } : {}),
      });
    }
  }
};
