// Every statement of the PostgreSQL event store, written once for `pg` and PGlite alike.

// xid8 comes back as text, aliased `tx` so that ORDER BY transaction_id keeps meaning the xid8
// column (an output alias of the same name would win and sort as text). recorded_at travels as epoch
// milliseconds: the catch-up reader parses them for a fraction of a timestamptz text's cost.
const EVENT_COLUMNS = `transaction_id::text AS tx, global_position, stream_id, stream_version,
  event_id::text AS event_id, event_type, schema_version, data,
  floor(extract(epoch FROM recorded_at) * 1000)::int8 AS recorded_ms, metadata`;

/** Expected versions as the SQL reads them: -1 any, -2 stream_exists, n ≥ 0 exact (0: no stream). */
export const EXPECT_ANY = -1;
export const EXPECT_EXISTS = -2;

/**
 * One stream's events in one auto-committed statement (one round trip): the version check and the
 * insert. No row back means the expected version was not met; a unique violation on
 * (stream_id, stream_version) means a concurrent appender won the race. $1 stream, $2 expected code,
 * $3..$7 event columns, $8 their digests (null: unchained, see migration 3), inserted in version
 * order so that the chain trigger finds each event's predecessor.
 */
const APPEND_INSERT = `
INSERT INTO es_events (stream_id, stream_version, event_id, event_type, schema_version, data, metadata, hash)
SELECT $1, cur.v + e.ord, e.id, e.type, e.sv, e.data::jsonb, e.meta::jsonb, decode(e.dg, 'hex')
FROM cur, unnest($3::uuid[], $4::text[], $5::int4[], $6::text[], $7::text[], $8::text[]) WITH ORDINALITY
  AS e(id, type, sv, data, meta, dg, ord)
WHERE CASE $2::int8 WHEN -1 THEN true WHEN -2 THEN cur.v > 0 ELSE cur.v = $2::int8 END
ORDER BY e.ord
RETURNING transaction_id::text AS tx, global_position, stream_id, stream_version, recorded_at`;
const CURRENT_VERSION = `cur AS (SELECT coalesce(max(stream_version), 0) AS v FROM es_events WHERE stream_id = $1)`;

export const APPEND = `WITH ${CURRENT_VERSION}${APPEND_INSERT}`;

/**
 * What a companion (see AppendCompanion) reads: `companions(row, last_version)`, one row per append
 * of the statement that got its events in, with that append's companion row (from the JSON array
 * `$n`, elements `{stream, row}`) and the last version it wrote. An append that missed its expected
 * version has no row here, so its companion writes nothing.
 */
const companionsOf = (param: string): string => `companions AS (
  SELECT c.value->'row' AS row, v.last_version
  FROM jsonb_array_elements(${param}::jsonb) AS c(value)
  JOIN (SELECT stream_id, max(stream_version) AS last_version FROM appended GROUP BY stream_id) AS v
    ON v.stream_id = c.value->>'stream'
)`;

/**
 * APPEND plus a companion write in the same statement (see AppendCompanion): data-modifying CTEs
 * all run, and the companion sees the inserted rows through `companions` ($9); a unique violation on
 * the events rolls the companion back with them.
 */
export const appendAlongside = (companion: string): string => `
WITH ${CURRENT_VERSION},
appended AS (${APPEND_INSERT}),
${companionsOf('$9')},
companion AS (${companion})
SELECT * FROM appended`;

export const STREAM_VERSION = `SELECT coalesce(max(stream_version), 0) AS version FROM es_events WHERE stream_id = $1`;
/**
 * Each asked stream's version (0: no stream), one row per id, no event data: one backward step on the
 * (stream_id, stream_version) index per stream. `max(…) … WHERE stream_id = ANY(…) GROUP BY` read
 * every event of every stream instead (see docs/performance.md, "Figures behind design choices").
 */
export const STREAM_VERSIONS = `
SELECT s.id AS stream_id,
       coalesce((SELECT e.stream_version FROM es_events e WHERE e.stream_id = s.id
                  ORDER BY e.stream_version DESC LIMIT 1), 0) AS version
FROM unnest($1::text[]) AS s(id)`;

// The JSON columns travel as one JSON array text each ('[' + texts.join(',') + ']'), not as text[]:
// node-postgres escapes every element of a text[] literal with two regex passes, and event JSON is
// full of quotes (a real cost on an import chunk); joining costs nothing and PostgreSQL parses the
// array once. WITH ORDINALITY pairs them with the other columns, and ORDER BY keeps global
// positions in the callers' order.
const INSERT_EVENTS_FROM = `
INSERT INTO es_events (stream_id, stream_version, event_id, event_type, schema_version, data, metadata, prev_hash, hash)
SELECT e.s, e.v, e.id, e.t, e.sv, d.value, m.value, decode(e.ph, 'hex'), decode(e.dg, 'hex')
FROM unnest($1::text[], $2::int8[], $3::uuid[], $4::text[], $5::int4[], $8::int8[], $9::text[], $10::text[])
  WITH ORDINALITY AS e(s, v, id, t, sv, x, dg, ph, n)
JOIN jsonb_array_elements($6::jsonb) WITH ORDINALITY AS d(value, n) ON d.n = e.n
JOIN jsonb_array_elements($7::jsonb) WITH ORDINALITY AS m(value, n) ON m.n = e.n`;
const INSERT_EVENTS_RETURNING = `
ORDER BY e.n
RETURNING transaction_id::text AS tx, global_position, stream_id, stream_version, recorded_at`;

/** appendMany's single multi-row insert, after the versions were checked in JS ($8 unused: nulls; $9 the digests or hashes, $10 prev hashes). */
export const INSERT_EVENTS = `${INSERT_EVENTS_FROM}${INSERT_EVENTS_RETURNING}`;

/**
 * appendMany without the version query, as APPEND does for one stream: $8 is each row's stream
 * version expected before the append, and a stream whose current version differs gets no row (the
 * statement's snapshot does not see its own rows, so all rows of a stream pass or none does). A
 * concurrent appender that commits first makes the insert fail on (stream_id, stream_version).
 */
export const INSERT_EVENTS_CHECKED = `${INSERT_EVENTS_FROM}
WHERE (SELECT coalesce(max(c.stream_version), 0) FROM es_events c WHERE c.stream_id = e.s) = e.x${INSERT_EVENTS_RETURNING}`;

/**
 * Group commit (see postgres.append-groups.ts): the exact-version appends of concurrent callers, on
 * distinct streams, as INSERT_EVENTS_CHECKED; with a companion, its rows in $11 as in appendAlongside.
 */
export const APPEND_GROUP = INSERT_EVENTS_CHECKED;
export const appendGroupAlongside = (companion: string): string => `
WITH appended AS (${INSERT_EVENTS_CHECKED}),
${companionsOf('$11')},
companion AS (${companion})
SELECT * FROM appended`;

export const READ_STREAM = `
SELECT ${EVENT_COLUMNS} FROM es_events
WHERE stream_id = $1 AND stream_version >= $2
ORDER BY stream_version`;

/** Whole streams in one round trip: one index range scan per id, rows grouped by stream. */
export const READ_STREAMS = `
SELECT ${EVENT_COLUMNS} FROM es_events
WHERE stream_id = ANY($1::text[])
ORDER BY stream_id, stream_version`;

/** READ_STREAMS with only what a fold needs (no upcaster registered): see readStreamsToDecide. */
export const READ_STREAMS_TO_DECIDE = `
SELECT stream_id, stream_version, event_type, data FROM es_events
WHERE stream_id = ANY($1::text[])
ORDER BY stream_id, stream_version`;

// Only transactions older than the oldest one still running are read: they can never gain rows,
// so a cursor (xid, position) never has anything appear behind it.
const VISIBLE = `transaction_id < pg_snapshot_xmin(pg_current_snapshot())`;
const AFTER_CURSOR = `(transaction_id, global_position) > ($1::xid8, $2::int8)`;

/**
 * A page's columns, read as arrays (SqlClient.queryArrays) in this order (see PageRow), then the
 * metadata. The position comes encoded (encodePosition's 20-digit decimals, which xid8 and int8
 * fit): one string per event instead of two padded and joined by the reader.
 */
const PAGE_COLUMNS = `lpad(transaction_id::text, 20, '0') || '-' || lpad(global_position::text, 20, '0'),
  stream_id, stream_version, event_id::text, event_type, schema_version, data,
  floor(extract(epoch FROM recorded_at) * 1000)::int8`;

/** The next visible page after a cursor ($1, $2), at most $3 events: PAGE_COLUMNS, then `metadata`. */
const readAllOf = (metadata: readonly string[]): string => `
SELECT ${[PAGE_COLUMNS, ...metadata].join(', ')} FROM es_events
WHERE ${AFTER_CURSOR} AND ${VISIBLE}
ORDER BY transaction_id, global_position
LIMIT $3`;

export const READ_ALL = readAllOf(['metadata']);

/**
 * READ_ALL with only the given metadata keys, each as its own column (in the keys' order) instead
 * of the whole metadata: for readers that know which keys they use (a rebuild). Metadata is a good
 * share of an event's JSON, and printing it a good share of PostgreSQL's work reading events.
 * Keys come from code (projection declarations), checked to be plain identifiers all the same.
 */
export const readAllWithMetadataKeys = (keys: readonly string[]): string => {
  for (const key of keys)
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) throw new Error(`Clé de métadonnées invalide : ${key}`);
  return readAllOf(keys.map((key) => `metadata->'${key}'`));
};

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
