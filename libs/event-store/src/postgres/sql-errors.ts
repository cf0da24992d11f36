// What the store makes of PostgreSQL's errors (SQLSTATE codes): which ones a retry can cure.

export const sqlState = (error: unknown): string | undefined =>
  typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string'
    ? error.code
    : undefined;

/** A concurrent appender took the stream versions we were about to write. */
export const isVersionRace = (error: unknown): boolean =>
  sqlState(error) === '23505' &&
  typeof error === 'object' &&
  error !== null &&
  'constraint' in error &&
  error.constraint === 'es_events_stream_version';

// Statement-level retries for appendMany: two calls locking overlapping streams in different orders
// can deadlock; the loser's whole transaction rolled back, so running it again is safe.
const RETRYABLE = new Set(['40P01', '40001']);

/** appendMany may run again after this error: a deadlock, a serialization failure or a version race. */
export const isRetryableAppend = (error: unknown): boolean =>
  RETRYABLE.has(sqlState(error) ?? '') || isVersionRace(error);

// What a subscription retries: lost connections (no SQLSTATE, or class 08), server shutdown or
// overload (57, 53, 58), rollbacks (40). A SQL error of any other class is a bug and ends it.
export const isTransient = (error: unknown): boolean => {
  const code = sqlState(error);
  if (!code || !/^[0-9A-Z]{5}$/.test(code)) return true;
  return ['08', '40', '53', '57', '58'].includes(code.slice(0, 2));
};

// Node's socket errors and pg's own messages when the server went away: no SQLSTATE to go by.
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN']);
const LOST_MESSAGE =
  /Connection terminated|connection error|not queryable|timeout exceeded when trying to connect|Cannot use a pool after calling end/i;

/**
 * The database could not be reached or ended the session (restart, failover, terminated backend,
 * too many connections): the caller may try again later; a request answers 503, not 500.
 */
export const isConnectionLost = (error: unknown): boolean => {
  const code = sqlState(error);
  if (code && SOCKET_CODES.has(code)) return true;
  if (code && /^[0-9A-Z]{5}$/.test(code))
    return code.startsWith('08') || ['57P01', '57P02', '57P03', '53300'].includes(code);
  return error instanceof Error && LOST_MESSAGE.test(error.message);
};
