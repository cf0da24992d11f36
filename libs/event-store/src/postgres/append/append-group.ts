import { APPEND_GROUP, appendGroupAlongside } from '../postgres.sql';
import type { GroupedAppend } from '../postgres.append-groups';
import type { AppendedRow, PreparedEvent } from '../row-mapping';
import type { StoreContext } from '../store-context';
import { runAppend, type AppendStatement } from './append-statement';
import { InsertColumns } from './insert-columns';

const APPEND_GROUP_STATEMENT: AppendStatement = { name: 'es_append_group', text: APPEND_GROUP };

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * One group of exact-version appends on distinct streams (see AppendGroups) in one statement:
 * auto-committed, or in a transaction when the test hook `beforeCommit` is set. Every append of a
 * group carries the same companion (or none).
 */
export const appendGroup = async (
  ctx: StoreContext,
  group: ReadonlyArray<GroupedAppend<PreparedEvent>>,
): Promise<AppendedRow[]> => {
  const columns = new InsertColumns(true, ctx.chain);
  // Rows in stream order: two groups in flight that share streams then take the index entries in
  // the same order, and one waits for the other instead of deadlocking with it.
  const ordered = group.length > 1 ? [...group].sort((a, b) => compareText(a.streamId, b.streamId)) : group;
  for (const append of ordered) columns.add(append.streamId, append.expected, append.events);
  const params = columns.params();
  const companion = group[0]?.companion ?? null;
  if (companion)
    params.push(JSON.stringify(group.map((a) => ({ stream: a.streamId, row: a.companion?.row ?? null }))));
  const statement = ctx.companions.of(APPEND_GROUP_STATEMENT, appendGroupAlongside, companion);
  const rows = await runAppend(ctx, statement, params);
  if (rows.length > 0) ctx.notifier.appended();
  return rows;
};
