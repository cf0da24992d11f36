/**
 * A test that needs real PostgreSQL (several sessions, concurrent transactions): without
 * TEST_DATABASE_URL it is reported as skipped, with the reason in its name, instead of passing
 * empty. CI sets the URL and fails on any skip. Test-only: it reads Jest's globals when called.
 */
export const itWithPostgres = (name: string, fn: () => Promise<void>, timeout?: number): void => {
  if (process.env.TEST_DATABASE_URL) it(name, fn, timeout);
  else it.skip(`${name} (needs TEST_DATABASE_URL: one PGlite session has no second connection)`, fn);
};
