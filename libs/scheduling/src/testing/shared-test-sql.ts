import { createTestSqlClient, type SqlClient, type TestSqlClient } from '@segur/event-store';
import { DEADLINES_MIGRATIONS } from '../deadlines.schema';

/**
 * One database per test file, opened on first use and migrated: opening PGlite costs seconds on
 * a busy 2-core machine, so the describes of a file share it; the file tears it down once.
 */
export const sharedTestSql = (
  prefix: string,
): { get: () => Promise<SqlClient>; teardown: () => Promise<void> } => {
  let opened: Promise<TestSqlClient> | null = null;
  return {
    get: async () => {
      opened ??= createTestSqlClient(prefix).then(async (db) => {
        for (const ddl of DEADLINES_MIGRATIONS) await db.client.query(ddl);
        return db;
      });
      return (await opened).client;
    },
    teardown: async () => {
      if (opened) await (await opened).teardown();
      opened = null;
    },
  };
};
