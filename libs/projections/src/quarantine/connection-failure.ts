import { sqlStateOf } from './sql-state';

// Node's socket errors: the database is out of reach, whatever the event.
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN']);
// Lost connections (08), rollbacks a retry cures (40: serialization, deadlock), overload (53),
// shutdown or cancel (57), system errors (58).
const TRANSIENT_CLASSES = new Set(['08', '40', '53', '57', '58']);
// node-postgres reports a dropped or unobtainable connection with a plain Error and these words.
const LOST_CONNECTION =
  /connection terminated|connection timeout|timeout exceeded when trying to connect|client has encountered a connection error|cannot use a pool after calling end|client was closed|pglite is closed/i;

/**
 * Did this apply fail because of the database rather than the event? Such failures are retried
 * without limit and never count toward quarantine: an outage must not quarantine healthy events.
 * Everything else (a projection's own exception, a constraint or type error from its SQL) is the
 * event's, and counts.
 */
export const isConnectionFailure = (error: unknown): boolean => {
  const code = sqlStateOf(error);
  if (code !== undefined) {
    if (NETWORK_CODES.has(code)) return true;
    if (/^[0-9A-Z]{5}$/.test(code)) return TRANSIENT_CLASSES.has(code.slice(0, 2));
  }
  return error instanceof Error && LOST_CONNECTION.test(error.message);
};
