import type { AppendCompanion } from '../../event-store.port';
import { runPrepared } from '../prepared-statement';
import type { AppendedRow } from '../row-mapping';
import type { StoreContext } from '../store-context';

/** An append statement: its text, and the name it is prepared under on `pg`. */
export interface AppendStatement {
  readonly name: string;
  readonly text: string;
}

/**
 * The statements of appends with a companion write (appendToStreamAlongside): the append's SQL
 * around the companion's, named after both. A prepared statement's name must always carry the same
 * text: built once per name, checked.
 */
export class CompanionStatements {
  private readonly known = new Map<string, { companion: string; statement: AppendStatement }>();

  /** `plain` without a companion; with one, `build(companion.sql)` named `<plain.name>+<companion.name>`. */
  of(
    plain: AppendStatement,
    build: (companionSql: string) => string,
    companion: AppendCompanion | null,
  ): AppendStatement {
    if (!companion) return plain;
    const name = `${plain.name}+${companion.name}`;
    const known = this.known.get(name);
    if (known && known.companion !== companion.sql)
      throw new Error(`appendToStreamAlongside : « ${name} » déjà préparé avec un autre texte`);
    if (known) return known.statement;
    const statement = { name, text: build(companion.sql) };
    this.known.set(name, { companion: companion.sql, statement });
    return statement;
  }
}

/**
 * Runs an append statement: auto-committed, as a named prepared statement; or in a transaction when
 * the test hook `beforeCommit` is set, which runs after the insert, before COMMIT.
 */
export const runAppend = (
  ctx: StoreContext,
  statement: AppendStatement,
  params: unknown[],
): Promise<AppendedRow[]> => {
  const hook = ctx.beforeCommit;
  return hook
    ? ctx.sql.transaction(async (tx) => {
        const r = await tx.query<AppendedRow>(statement.text, params);
        if (r.rows.length) await hook(tx);
        return r.rows;
      })
    : runPrepared<AppendedRow>(ctx.sql, statement.name, statement.text, params);
};
