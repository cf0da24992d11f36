import type { SqlExecutor } from '@segur/event-store';

/** Every row as canonical JSON text, sorted: two dumps are equal iff the tables hold the same data. */
export const dumpTables = async (sql: SqlExecutor, tables: readonly string[]): Promise<string> => {
  const parts: string[] = [];
  for (const table of tables) {
    if (!/^[a-z_][a-z0-9_]*$/.test(table)) throw new Error(`table invalide : ${table}`);
    const r = await sql.query<{ j: string }>(`SELECT to_jsonb(t)::text AS j FROM ${table} t ORDER BY 1`);
    parts.push(`-- ${table} (${r.rows.length})`, ...r.rows.map((x) => x.j));
  }
  return parts.join('\n');
};
