import type { SqlClient } from '../sql-client';

interface Migration {
  version: number;
  name: string;
  /** One statement per entry: PGlite's extended protocol runs a single statement per query. */
  statements: string[];
}

// Tables live in the client's schema (its search_path), so a schema per test file or per bench run
// keeps stores apart. Never edit a shipped migration: add the next one.
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'events',
    statements: [
      // global_position alone is NOT a safe cursor: sequence numbers are taken at insert time but
      // become visible at commit time, so a transaction that took 41 and commits after the one that
      // took 42 would be skipped by a reader that already moved past 42. transaction_id records the
      // writing transaction; readers only read rows of transactions older than the oldest one still
      // running (pg_snapshot_xmin), which can never gain rows again, ordered by (xid, position).
      `CREATE TABLE es_events (
         global_position bigserial NOT NULL,
         transaction_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
         stream_id text NOT NULL,
         stream_version bigint NOT NULL,
         event_id uuid NOT NULL,
         event_type text NOT NULL,
         schema_version integer NOT NULL,
         data jsonb NOT NULL,
         metadata jsonb NOT NULL,
         recorded_at timestamptz NOT NULL DEFAULT now(),
         PRIMARY KEY (transaction_id, global_position)
       )`,
      // Stream reads and optimistic concurrency: an append checks the stream's max version and inserts
      // the next ones; of two concurrent appenders expecting the same version, this index lets one in.
      // (No streams table: its extra row write per append cost too much throughput, see
      // docs/performance.md.)
      `CREATE UNIQUE INDEX es_events_stream_version ON es_events (stream_id, stream_version)`,
    ],
  },
  {
    version: 2,
    name: 'append-only',
    // History is never rewritten, even by a mistaken script run with the application's role (which
    // owns the table, so privileges alone cannot forbid it). A superuser may still drop the trigger:
    // that is what a tamper-evident chain is for. A future migration that must fill a new column of
    // existing rows once (a hash chain) would allow, in this function, an UPDATE changing only that
    // column from NULL, and nothing else.
    statements: [
      `CREATE OR REPLACE FUNCTION es_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         RAISE EXCEPTION 'es_events est en ajout seul : % refusé (l''historique des dossiers ne se réécrit pas)', TG_OP
           USING ERRCODE = 'insufficient_privilege';
       END
       $$`,
      `CREATE TRIGGER es_events_no_update_delete BEFORE UPDATE OR DELETE ON es_events
         FOR EACH ROW EXECUTE FUNCTION es_events_append_only()`,
      `CREATE TRIGGER es_events_no_truncate BEFORE TRUNCATE ON es_events
         FOR EACH STATEMENT EXECUTE FUNCTION es_events_append_only()`,
    ],
  },
  {
    version: 3,
    name: 'hash-chain',
    // The per-stream hash chain (docs/audit.md). The writer sends each event's digest (eventDigest:
    // SHA-256 of the JCS text of stream, id, type, schema version, data, metadata) in `hash`; the
    // trigger below links it, hash = SHA-256(prev_hash ‖ int8send(stream_version) ‖ digest), reading
    // the predecessor's hash by its exact (stream_id, stream_version): an index probe inside the
    // INSERT (no extra round trip, and the same code for every insert path: append, group commit,
    // appendMany, imports). A BEFORE ROW trigger sees the rows its statement inserted before, so
    // several events of one stream in one INSERT chain in version order.
    // A row that comes with prev_hash already set was chained by the writer (a new stream's events,
    // from the genesis hash: see InsertColumns) and the trigger does not fire for it.
    // Rows without a digest (a store written before this migration, or the bench's chain-off mode)
    // keep NULL hashes: `audit chain` fills them once, which the append-only function now allows
    // (both hash columns from NULL, every other column unchanged) and nothing else. A new event whose
    // predecessor is not chained yet stays unchained too, until that command reaches it.
    statements: [
      `ALTER TABLE es_events ADD COLUMN prev_hash bytea, ADD COLUMN hash bytea`,
      `CREATE INDEX es_events_unchained ON es_events (stream_id, stream_version) WHERE hash IS NULL`,
      `CREATE OR REPLACE FUNCTION es_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         IF TG_OP = 'UPDATE' AND OLD.hash IS NULL AND OLD.prev_hash IS NULL
            AND NEW.hash IS NOT NULL AND NEW.prev_hash IS NOT NULL
            AND (NEW.global_position, NEW.transaction_id, NEW.stream_id, NEW.stream_version, NEW.event_id,
                 NEW.event_type, NEW.schema_version, NEW.data, NEW.metadata, NEW.recorded_at)
                IS NOT DISTINCT FROM
                (OLD.global_position, OLD.transaction_id, OLD.stream_id, OLD.stream_version, OLD.event_id,
                 OLD.event_type, OLD.schema_version, OLD.data, OLD.metadata, OLD.recorded_at) THEN
           RETURN NEW;
         END IF;
         RAISE EXCEPTION 'es_events est en ajout seul : % refusé (l''historique des dossiers ne se réécrit pas)', TG_OP
           USING ERRCODE = 'insufficient_privilege';
       END
       $$`,
      `CREATE OR REPLACE FUNCTION es_events_chain() RETURNS trigger LANGUAGE plpgsql AS $$
       DECLARE
         prev bytea;
       BEGIN
         IF NEW.stream_version = 1 THEN
           prev := decode(repeat('00', 32), 'hex');
         ELSE
           SELECT e.hash INTO prev FROM es_events e
            WHERE e.stream_id = NEW.stream_id AND e.stream_version = NEW.stream_version - 1;
         END IF;
         IF prev IS NULL THEN
           NEW.prev_hash := NULL;
           NEW.hash := NULL;
         ELSE
           NEW.prev_hash := prev;
           NEW.hash := sha256(prev || int8send(NEW.stream_version) || NEW.hash);
         END IF;
         RETURN NEW;
       END
       $$`,
      `CREATE TRIGGER es_events_chain BEFORE INSERT ON es_events
         FOR EACH ROW WHEN (NEW.hash IS NOT NULL AND NEW.prev_hash IS NULL) EXECUTE FUNCTION es_events_chain()`,
    ],
  },
  {
    version: 4,
    name: 'audit-checkpoints',
    // Signed checkpoints (docs/audit.md): the signed statement as its exact JCS text, and the stream
    // heads that changed since the previous checkpoint (the leaves of a checkpoint are the latest
    // head of each stream up to it). Append-only like es_events.
    statements: [
      `CREATE TABLE es_audit_checkpoints (
         id bigserial PRIMARY KEY,
         payload text NOT NULL,
         signature text NOT NULL,
         public_key text NOT NULL,
         created_at timestamptz NOT NULL DEFAULT now()
       )`,
      `CREATE TABLE es_audit_checkpoint_heads (
         checkpoint_id bigint NOT NULL REFERENCES es_audit_checkpoints (id),
         stream_id text NOT NULL,
         stream_version bigint NOT NULL,
         hash bytea NOT NULL,
         PRIMARY KEY (stream_id, checkpoint_id)
       )`,
      `CREATE OR REPLACE FUNCTION es_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         RAISE EXCEPTION '% est en ajout seul : % refusé (les points de contrôle publiés ne se réécrivent pas)', TG_TABLE_NAME, TG_OP
           USING ERRCODE = 'insufficient_privilege';
       END
       $$`,
      `CREATE TRIGGER es_audit_checkpoints_no_update_delete BEFORE UPDATE OR DELETE ON es_audit_checkpoints
         FOR EACH ROW EXECUTE FUNCTION es_audit_append_only()`,
      `CREATE TRIGGER es_audit_checkpoints_no_truncate BEFORE TRUNCATE ON es_audit_checkpoints
         FOR EACH STATEMENT EXECUTE FUNCTION es_audit_append_only()`,
      `CREATE TRIGGER es_audit_checkpoint_heads_no_update_delete BEFORE UPDATE OR DELETE ON es_audit_checkpoint_heads
         FOR EACH ROW EXECUTE FUNCTION es_audit_append_only()`,
      `CREATE TRIGGER es_audit_checkpoint_heads_no_truncate BEFORE TRUNCATE ON es_audit_checkpoint_heads
         FOR EACH STATEMENT EXECUTE FUNCTION es_audit_append_only()`,
    ],
  },
];

/** The NOTIFY channel of the store in `schema` (see postgres.notifier.ts). */
export const eventsChannel = (schema: string): string => `${schema}_es_events`;

/**
 * Applies pending migrations. Idempotent, and safe when several processes start at once: they queue
 * on a session advisory lock scoped to the schema, and each migration commits with its bookkeeping row.
 */
export const migrate = async (sql: SqlClient): Promise<void> => {
  const lockKey = `segur:event-store:${sql.schema}`;
  await sql.withConnection(async (conn) => {
    await conn.query('SELECT pg_advisory_lock(hashtext($1))', [lockKey]);
    try {
      await conn.query(
        `CREATE TABLE IF NOT EXISTS es_schema_migrations (
           version integer PRIMARY KEY,
           name text NOT NULL,
           applied_at timestamptz NOT NULL DEFAULT now()
         )`,
      );
      const applied = await conn.query<{ version: number }>('SELECT version FROM es_schema_migrations');
      const done = new Set(applied.rows.map((r) => r.version));
      for (const migration of MIGRATIONS) {
        if (done.has(migration.version)) continue;
        await sql.transaction(async (tx) => {
          for (const statement of migration.statements) await tx.query(statement);
          await tx.query('INSERT INTO es_schema_migrations (version, name) VALUES ($1, $2)', [
            migration.version,
            migration.name,
          ]);
        });
      }
    } finally {
      await conn.query('SELECT pg_advisory_unlock(hashtext($1))', [lockKey]);
    }
  });
};
