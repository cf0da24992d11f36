import type { SqlExecutor } from '@segur/event-store';

/** `(siret, contentHash) → numéro ASP` of avance lines already numbered. */
export const findAvanceNumeros = async (
  sql: SqlExecutor,
  siret: string,
  hashes: readonly string[],
): Promise<Map<string, string>> => {
  if (hashes.length === 0) return new Map();
  const r = await sql.query<{ content_hash: string; numero_asp: string }>(
    'SELECT content_hash, numero_asp FROM avance_lines WHERE siret = $1 AND content_hash = ANY($2::text[])',
    [siret, hashes],
  );
  return new Map(r.rows.map((row) => [row.content_hash, row.numero_asp]));
};

/**
 * Records the numbers given to new contents; returns the hashes this call recorded. A hash not
 * returned was recorded meanwhile by a concurrent import of the same line: its number wins.
 */
export const recordAvanceNumeros = async (
  sql: SqlExecutor,
  siret: string,
  importId: string,
  entries: ReadonlyArray<{ contentHash: string; numeroAsp: string }>,
): Promise<Set<string>> => {
  if (entries.length === 0) return new Set();
  const r = await sql.query<{ content_hash: string }>(
    `INSERT INTO avance_lines (siret, content_hash, numero_asp, import_id)
     SELECT $1, h, n, $4 FROM unnest($2::text[], $3::text[]) AS t(h, n)
     ON CONFLICT (siret, content_hash) DO NOTHING
     RETURNING content_hash`,
    [siret, entries.map((e) => e.contentHash), entries.map((e) => e.numeroAsp), importId],
  );
  return new Set(r.rows.map((row) => row.content_hash));
};
