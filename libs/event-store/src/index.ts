export * from './event-store.port';
export * from './sql-client';
