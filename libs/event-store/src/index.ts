export * from './event-store.port';
export * from './sql-client';
export * from './sql/pg.sql-client';
export * from './sql/pglite.sql-client';
export * from './testing/test-sql-client';
export { isConnectionLost } from './postgres/sql-errors';
export * from './testing/with-postgres';
// Types only: loading @eventstore/db-client costs startup time and memory every process would pay,
// so createEventStore requires the class lazily in EventStoreDB mode; import the class itself from
// './eventstoredb/eventstoredb.event-store'.
export type {
  AppendManyFailedError,
  EventStoreDbEventStore,
  EventStoreDbEventStoreOptions,
} from './eventstoredb/eventstoredb.event-store';
export * from './upcasters';
export * from './foreign-cursor.error';
export * from './issued-head';
export * from './event-store.factory';
export * from './memory/memory.event-store';
export * from './postgres/postgres.event-store';
// The rebuild reads the PostgreSQL store's versions in its own session.
export { STREAM_VERSIONS } from './postgres/postgres.sql';
export { migrate as migrateEventStore, eventsChannel } from './postgres/postgres.migrations';
// Hot reads elsewhere (the suivi page) use the same named-statement path as the store.
export { runPrepared } from './postgres/prepared-statement';
export * from './audit';
