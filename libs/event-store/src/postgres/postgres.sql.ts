// Every statement of the PostgreSQL event store, written once for `pg` and PGlite alike.

// xid8 comes back as text, aliased `tx` so that ORDER BY transaction_id keeps meaning the xid8
// column (an output alias of the same name would win and sort as text).
const EVENT_COLUMNS = `transaction_id::text AS tx, global_position, stream_id, stream_version,
  event_id::text AS event_id, event_type, schema_version, data, metadata, recorded_at`;

// Inserts the events of one stream after `s.base`, the stream's version before the append, in one
// statement with the stream row update: one round trip, and an empty `s` (expected version not met)
// inserts nothing and reports the conflict by returning no row.
const insertEventsAfter = (streamCte: string): string => `
WITH s AS (${streamCte})
INSERT INTO es_events (stream_id, stream_version, event_id, event_type, schema_version, data, metadata)
SELECT $1, s.base + e.ord, e.id, e.type, e.sv, e.data::jsonb, e.meta::jsonb
FROM s, unnest($3::uuid[], $4::text[], $5::int4[], $6::text[], $7::text[]) WITH ORDINALITY
  AS e(id, type, sv, data, meta, ord)
RETURNING transaction_id::text AS tx, global_position, stream_version, recorded_at`;

/** $1 stream id, $2 number of events, $3..$7 event columns; $8 the expected version when exact. */
export const APPEND = {
  noStream: insertEventsAfter(
    `INSERT INTO es_streams (stream_id, version) VALUES ($1, $2)
     ON CONFLICT (stream_id) DO NOTHING RETURNING 0::int8 AS base`,
  ),
  any: insertEventsAfter(
    `INSERT INTO es_streams AS st (stream_id, version) VALUES ($1, $2)
     ON CONFLICT (stream_id) DO UPDATE SET version = st.version + excluded.version
     RETURNING st.version - $2 AS base`,
  ),
  streamExists: insertEventsAfter(
    `UPDATE es_streams SET version = version + $2 WHERE stream_id = $1 RETURNING version - $2 AS base`,
  ),
  exact: insertEventsAfter(
    `UPDATE es_streams SET version = version + $2 WHERE stream_id = $1 AND version = $8
     RETURNING version - $2 AS base`,
  ),
} as const;

export const STREAM_VERSION = `SELECT version FROM es_streams WHERE stream_id = $1`;
export const STREAM_VERSIONS = `SELECT stream_id, version FROM es_streams WHERE stream_id = ANY($1::text[])`;

// appendMany, in one transaction. Expected versions are coded as int8: -1 any, -2 stream_exists,
// n > 0 exact. Conflicts are found by these conditional writes (no error, so no savepoint needed):
// a stream whose row was neither bumped nor created is reported, the others go on.
export const BUMP_STREAMS = `
UPDATE es_streams st SET version = st.version + u.n
FROM unnest($1::text[], $2::int8[], $3::int8[]) AS u(stream_id, n, expected)
WHERE st.stream_id = u.stream_id AND (u.expected < 0 OR st.version = u.expected)
RETURNING st.stream_id, st.version - u.n AS base`;

export const CREATE_STREAMS = `
INSERT INTO es_streams (stream_id, version)
SELECT * FROM unnest($1::text[], $2::int8[])
ON CONFLICT (stream_id) DO NOTHING
RETURNING stream_id, 0::int8 AS base`;

export const INSERT_EVENTS = `
INSERT INTO es_events (stream_id, stream_version, event_id, event_type, schema_version, data, metadata)
SELECT s, v, id, t, sv, d::jsonb, m::jsonb
FROM unnest($1::text[], $2::int8[], $3::uuid[], $4::text[], $5::int4[], $6::text[], $7::text[])
  AS e(s, v, id, t, sv, d, m)
RETURNING transaction_id::text AS tx, global_position, stream_id, stream_version, recorded_at`;

export const READ_STREAM = `
SELECT ${EVENT_COLUMNS} FROM es_events
WHERE stream_id = $1 AND stream_version >= $2
ORDER BY stream_version`;

// Only transactions older than the oldest one still running are read: they can never gain rows,
// so a cursor (xid, position) never has anything appear behind it.
const VISIBLE = `transaction_id < pg_snapshot_xmin(pg_current_snapshot())`;
const AFTER_CURSOR = `(transaction_id, global_position) > ($1::xid8, $2::int8)`;

export const READ_ALL = `
SELECT ${EVENT_COLUMNS} FROM es_events
WHERE ${AFTER_CURSOR} AND ${VISIBLE}
ORDER BY transaction_id, global_position
LIMIT $3`;

// Filtered pages also return the visible head, taken in the same statement (same snapshot): when
// the page is not full the reader may move its cursor to that head, so a subscriber whose filter
// matches little does not rescan the same non-matching tail at every poll.
export const READ_ALL_FILTERED = `
WITH page AS (
  SELECT ${EVENT_COLUMNS} FROM es_events
  WHERE ${AFTER_CURSOR} AND ${VISIBLE}
    AND ($4::text[] IS NULL OR event_type = ANY($4::text[]))
    AND ($5::text IS NULL OR starts_with(stream_id, $5::text))
  ORDER BY transaction_id, global_position
  LIMIT $3
)
SELECT page.*, head.head_tx, head.head_global_position
FROM (SELECT 1) AS one
LEFT JOIN page ON true
LEFT JOIN LATERAL (
  SELECT transaction_id::text AS head_tx, global_position AS head_global_position
  FROM es_events WHERE ${VISIBLE}
  ORDER BY transaction_id DESC, global_position DESC LIMIT 1
) AS head ON true
ORDER BY page.tx::xid8, page.global_position`;

export const HEAD = `
SELECT transaction_id::text AS tx, global_position FROM es_events
WHERE ${VISIBLE}
ORDER BY transaction_id DESC, global_position DESC LIMIT 1`;
