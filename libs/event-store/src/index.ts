export * from './event-store.port';
export * from './sql-client';
export * from './sql/pg.sql-client';
export * from './sql/pglite.sql-client';
export * from './testing/test-sql-client';
export * from './eventstoredb/eventstoredb.event-store';
