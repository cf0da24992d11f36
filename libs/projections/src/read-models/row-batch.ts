import type { SqlExecutor } from '@segur/event-store';

// Batched projections keep whole rows in memory for the batch: loaded in one query, written back in
// one statement. The rows travel as one JSON array decoded by json_populate_recordset against the
// table's own row type (resolved on the search_path, so a rebuild's shadow table), which converts
// each column from its JSON text: no per-column casts, the same statement on pg and PGlite.

/** Every row of `table` whose numero_asp is one of `keys`. */
export const loadRows = async <R>(tx: SqlExecutor, table: string, keys: readonly string[]): Promise<R[]> =>
  (await tx.query<R>(`SELECT * FROM ${table} WHERE numero_asp = ANY($1::text[])`, [keys])).rows;

// COPY's text format: a backslash starts an escape, tab and newline end a field and a row.
const COPY_SPECIAL = /[\\\t\n\r]/;
const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };
const copyText = (s: string): string =>
  COPY_SPECIAL.test(s) ? s.replace(/[\\\t\n\r]/g, (c) => COPY_ESCAPES[c]!) : s;

/**
 * One value as a COPY field, as json_populate_recordset would read it from the row's JSON: null
 * or absent is NULL, an object or array is its JSON (for json and jsonb columns, which therefore
 * never hold a bare JSON string), anything else its text.
 */
const copyField = (value: unknown): string => {
  if (value === null || value === undefined) return '\\N';
  if (typeof value === 'string') return copyText(value);
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') {
    // JSON text holds no raw tab or newline (they are escaped), only backslashes to double: a
    // plain search instead of the regular expression on the largest fields (suivi's states).
    const json = JSON.stringify(value);
    return json.includes('\\') ? json.replaceAll('\\', '\\\\') : json;
  }
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  throw new TypeError(`Valeur non inscriptible en base : ${typeof value}`);
};

/**
 * Inserts `rows` with COPY when the executor can (see SqlExecutor.copyFrom): what a rebuild writes
 * into its fresh shadow tables, for far less PostgreSQL CPU than through a JSON parameter.
 * Returns false, having written nothing, when it cannot.
 */
export const copyRows = async (
  tx: SqlExecutor,
  table: string,
  columns: readonly string[],
  rows: readonly object[],
): Promise<boolean> => {
  if (!tx.copyFrom) return false;
  if (rows.length === 0) return true;
  // One string for the whole batch: V8 builds it as a rope, flattened once when sent.
  let data = '';
  for (const row of rows) {
    const r = row as Record<string, unknown>;
    let line = copyField(r[columns[0]!]);
    for (let i = 1; i < columns.length; i++) line += '\t' + copyField(r[columns[i]!]);
    data += line + '\n';
  }
  await tx.copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN`, data);
  return true;
};

/** Inserts `rows`, none of which may exist yet (see DossierFold's `fresh`). */
export const insertRows = async (
  tx: SqlExecutor,
  table: string,
  columns: readonly string[],
  rows: readonly object[],
): Promise<void> => {
  if (rows.length === 0 || (await copyRows(tx, table, columns, rows))) return;
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
