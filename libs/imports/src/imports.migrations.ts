import { FOURNISSEURS_DDL } from '@segur/projections';

// Application tables of the import use case: none is rebuilt from events, they are the
// bookkeeping that makes imports numbered, idempotent and reportable.
export const IMPORT_MIGRATIONS: readonly string[] = [
  // The report of every import, served again by GET /imports/{importId}.
  `CREATE TABLE IF NOT EXISTS imports (
     import_id    text PRIMARY KEY,
     kind         text NOT NULL,
     siret        text NOT NULL,
     numero_ans   text NOT NULL,
     submitted_by text NOT NULL,
     file_sha256  text NOT NULL,
     received_at  timestamptz NOT NULL,
     status       text NOT NULL,
     line_count   integer NOT NULL,
     report       jsonb NOT NULL
   )`,
  `CREATE INDEX IF NOT EXISTS imports_siret_idx ON imports (siret, received_at)`,
  // One counter per couloir; incremented by a single autocommitted statement so that a line
  // failing later never gives its number back (a gap is fine, a reused numéro ASP is not).
  `CREATE TABLE IF NOT EXISTS numero_asp_counters (
     couloir    text PRIMARY KEY,
     last_value integer NOT NULL
   )`,
  // Avance lines carry no numéro ASP: this index makes a re-sent line find the number it was
  // given. It is written BEFORE the append, so a crash in between leaves a number reserved for
  // that content, which the next attempt reuses instead of numbering the dossier twice.
  `CREATE TABLE IF NOT EXISTS avance_lines (
     siret        text NOT NULL,
     content_hash text NOT NULL,
     numero_asp   text NOT NULL UNIQUE,
     import_id    text NOT NULL,
     created_at   timestamptz NOT NULL DEFAULT now(),
     PRIMARY KEY (siret, content_hash)
   )`,
  // Enrolment is reference data written directly by PUT /fournisseurs (not an event); the table is
  // the read model's, created here too so the API works before any projection runner started.
  FOURNISSEURS_DDL,
];
