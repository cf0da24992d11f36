// The audit's statements on the PostgreSQL event store (see postgres-audit-log.ts, migrations 3 and 4).

export const READ_CHAIN = `
SELECT transaction_id::text AS tx, global_position, stream_id, stream_version, event_id::text AS event_id,
       event_type, schema_version, data, metadata, recorded_at,
       encode(prev_hash, 'hex') AS prev_hash, encode(hash, 'hex') AS hash
FROM es_events WHERE stream_id = $1
ORDER BY stream_version, transaction_id, global_position`;

export const STREAM_IDS = `
SELECT DISTINCT stream_id FROM es_events
WHERE $1::text IS NULL OR stream_id > $1::text
ORDER BY stream_id LIMIT $2`;

const IN_RANGE = `(transaction_id, global_position) > ($1::xid8, $2::int8)
    AND (transaction_id, global_position) <= ($3::xid8, $4::int8)`;

/** Streams with events in ($1,$2] .. ($3,$4], each with its last version at ($3,$4). */
export const HEADS_BETWEEN = `
WITH changed AS (SELECT DISTINCT stream_id FROM es_events WHERE ${IN_RANGE})
SELECT c.stream_id, h.stream_version, encode(h.hash, 'hex') AS hash
FROM changed c
CROSS JOIN LATERAL (
  SELECT e.stream_version, e.hash FROM es_events e
  WHERE e.stream_id = c.stream_id AND (e.transaction_id, e.global_position) <= ($3::xid8, $4::int8)
  ORDER BY e.stream_version DESC LIMIT 1
) h`;

export const UNCHAINED_COUNT = `SELECT count(*)::int AS n FROM es_events WHERE hash IS NULL`;

/** The first unchained rows, stream by stream in version order (partial index es_events_unchained). */
export const UNCHAINED_ROWS = `
SELECT stream_id, stream_version FROM es_events WHERE hash IS NULL
ORDER BY stream_id, stream_version LIMIT $1`;

/** Fills the hashes of rows still without them: the only UPDATE es_events_append_only lets through. */
export const FILL_HASHES = `
UPDATE es_events e SET prev_hash = decode(u.p, 'hex'), hash = decode(u.h, 'hex')
FROM unnest($1::text[], $2::int8[], $3::text[], $4::text[]) AS u(s, v, p, h)
WHERE e.stream_id = u.s AND e.stream_version = u.v AND e.hash IS NULL`;

/** Inserted only while `$4` (the caller's previous checkpoint id, or null) is still the latest. */
export const INSERT_CHECKPOINT = `
INSERT INTO es_audit_checkpoints (payload, signature, public_key)
SELECT $1, $2, $3
WHERE (SELECT max(id) FROM es_audit_checkpoints) IS NOT DISTINCT FROM $4::int8
RETURNING id`;

export const INSERT_CHECKPOINT_HEADS = `
INSERT INTO es_audit_checkpoint_heads (checkpoint_id, stream_id, stream_version, hash)
SELECT $1, s, v, decode(h, 'hex') FROM unnest($2::text[], $3::int8[], $4::text[]) AS u(s, v, h)`;

export const CHECKPOINTS = `
SELECT id, payload, signature, public_key FROM es_audit_checkpoints ORDER BY id`;

export const CHECKPOINT_LEAVES = `
SELECT DISTINCT ON (stream_id) stream_id, stream_version, encode(hash, 'hex') AS hash
FROM es_audit_checkpoint_heads WHERE checkpoint_id <= $1
ORDER BY stream_id, checkpoint_id DESC`;
