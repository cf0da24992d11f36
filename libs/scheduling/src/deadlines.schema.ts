// The source of truth for timers: Redis (or the embedded loop) only caches what this table says.
// `not_before` is both the lease of a firing in progress and the retry backoff: one column, so a
// crashed firer's lease simply expires and the next claimer retries.
export const DEADLINES_MIGRATIONS: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS deadlines (
    job_id text PRIMARY KEY,
    numero_asp text NOT NULL,
    version text NOT NULL,
    kind text NOT NULL CHECK (kind IN ('REMINDER', 'EXPIRY')),
    due_at timestamptz NOT NULL,
    status text NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'FIRED', 'CANCELLED')),
    fired_at timestamptz,
    cancelled_at timestamptz,
    attempts integer NOT NULL DEFAULT 0,
    last_error text,
    not_before timestamptz,
    requested_event_id text NOT NULL,
    UNIQUE (numero_asp, version, kind)
  ) WITH (fillfactor = 50)`,
  `CREATE INDEX IF NOT EXISTS deadlines_pending_due ON deadlines (due_at) WHERE status = 'PENDING'`,
  // Room on each page for the claim's new row version: the claim changes no indexed column, so with
  // room it is a HOT update that writes no index entry (three otherwise), which saves database CPU
  // on a burst. Tables created before only get it on their new pages.
  `ALTER TABLE deadlines SET (fillfactor = 50)`,
];

// What FIRED and CANCELLED write on a row, whoever writes them: the deadlines projection (at the
// event's instant, see deadline-rules.ts) and the firer's marks (at its clock, deadline-marks.ts).
// `at` is an SQL expression. Both clear `not_before`: a closed row holds no lease and awaits no
// retry.

/** FIRED at `at`, the first firing's instant kept. */
export const firedSet = (at: string): string =>
  `status = 'FIRED', fired_at = COALESCE(fired_at, ${at}), not_before = NULL`;

/** CANCELLED at `at`. */
export const cancelledSet = (at: string): string =>
  `status = 'CANCELLED', cancelled_at = ${at}, not_before = NULL`;
