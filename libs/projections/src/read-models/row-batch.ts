import type { SqlExecutor } from '@segur/event-store';

// Batched projections keep whole rows in memory for the batch: loaded in one query, written back in
// one statement. The rows travel as one JSON array decoded by json_populate_recordset against the
// table's own row type (resolved on the search_path, so a rebuild's shadow table), which converts
// each column from its JSON text: no per-column casts, the same statement on pg and PGlite.

/** Every row of `table` whose numero_asp is one of `keys`. */
export const loadRows = async <R>(tx: SqlExecutor, table: string, keys: readonly string[]): Promise<R[]> =>
  (await tx.query<R>(`SELECT * FROM ${table} WHERE numero_asp = ANY($1::text[])`, [keys])).rows;

/** Inserts `rows`, none of which may exist yet (see DossierFold's `fresh`). */
export const insertRows = async (
  tx: SqlExecutor,
  table: string,
  columns: readonly string[],
  rows: readonly object[],
): Promise<void> => {
  if (rows.length === 0) return;
  await tx.query(
    `INSERT INTO ${table} (${columns.join(', ')})
     SELECT ${columns.join(', ')} FROM json_populate_recordset(NULL::${table}, $1::json)`,
    [JSON.stringify(rows)],
  );
};

/** `rows` split into those of `fresh` dossiers (no row yet: plain INSERT) and the others. */
export const splitFresh = <R extends { numero_asp: string }>(
  rows: readonly R[],
  fresh: ReadonlySet<string>,
): { inserted: readonly R[]; upserted: readonly R[] } => {
  if (fresh.size === 0) return { inserted: [], upserted: rows };
  const inserted: R[] = [];
  const upserted: R[] = [];
  for (const r of rows) (fresh.has(r.numero_asp) ? inserted : upserted).push(r);
  return { inserted, upserted };
};

/** Rows of `fresh` dossiers by plain INSERT, the others by `upsertRows`. */
export const writeRows = async (
  tx: SqlExecutor,
  table: string,
  conflict: readonly string[],
  columns: readonly string[],
  rows: readonly (object & { numero_asp: string })[],
  fresh: ReadonlySet<string>,
): Promise<void> => {
  const { inserted, upserted } = splitFresh(rows, fresh);
  await insertRows(tx, table, columns, inserted);
  await upsertRows(tx, table, conflict, columns, upserted);
};

/** Inserts `rows`, or overwrites every listed column of the rows already there. */
export const upsertRows = async (
  tx: SqlExecutor,
  table: string,
  conflict: readonly string[],
  columns: readonly string[],
  rows: readonly object[],
): Promise<void> => {
  if (rows.length === 0) return;
  const updated = columns.filter((c) => !conflict.includes(c));
  await tx.query(
    `INSERT INTO ${table} (${columns.join(', ')})
     SELECT ${columns.join(', ')} FROM json_populate_recordset(NULL::${table}, $1::json)
     ON CONFLICT (${conflict.join(', ')}) DO UPDATE SET (${updated.join(', ')}) = ROW(${updated.map((c) => `excluded.${c}`).join(', ')})`,
    [JSON.stringify(rows)],
  );
};
