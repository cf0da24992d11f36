import {
  WrongExpectedVersionError,
  type AppendCompanion,
  type AppendResult,
  type ExpectedVersion,
  type NewEvent,
} from '../../event-store.port';
import { validateAppend } from '../../expected-version';
import { APPEND, appendAlongside } from '../postgres.sql';
import { streamVersion } from '../read/stream-versions';
import { preparer, type AppendedRow } from '../row-mapping';
import { isVersionRace } from '../sql-errors';
import type { StoreContext } from '../store-context';
import { runAppend, type AppendStatement } from './append-statement';
import { expectedCode } from './expected-code';

const APPEND_STATEMENT: AppendStatement = { name: 'es_append', text: APPEND };

/**
 * One stream's append (appendToStream, appendToStreamAlongside): an exact expected version joins
 * the group commit, `any` and `stream_exists` run APPEND, which checks the version itself.
 */
export const append = async (
  ctx: StoreContext,
  streamId: string,
  events: NewEvent[],
  expected: ExpectedVersion,
  companion: AppendCompanion | null,
): Promise<AppendResult> => {
  validateAppend(streamId, events, expected);
  const prepared = events.map(preparer(streamId, ctx.chain));
  if (typeof expected === 'number' || expected === 'no_stream') {
    // An exact version: grouped with concurrent appends into one statement and one commit.
    const rows = await ctx.groups.append({
      streamId,
      expected: expectedCode(expected),
      events: prepared,
      companion,
    });
    if (rows.length === 0)
      throw new WrongExpectedVersionError(streamId, expected, await streamVersion(ctx.sql, streamId));
    return ctx.mapping.appendResult(streamId, prepared, rows);
  }
  const params: unknown[] = [
    streamId,
    expectedCode(expected),
    prepared.map((e) => e.id),
    prepared.map((e) => e.type),
    prepared.map((e) => e.schemaVersion),
    prepared.map((e) => e.data),
    prepared.map((e) => e.metadata),
    ctx.chain ? prepared.map((e) => e.digest) : null,
    ...(companion ? [JSON.stringify([{ stream: streamId, row: companion.row }])] : []),
  ];
  const statement = ctx.companions.of(APPEND_STATEMENT, appendAlongside, companion);
  for (let attempt = 0; ; attempt++) {
    let rows: AppendedRow[];
    try {
      rows = await runAppend(ctx, statement, params);
    } catch (error) {
      if (!isVersionRace(error)) throw error;
      // `any` just lost a race for the next version: take the one after; `stream_exists` conflicts.
      if (expected === 'any' && attempt < 10) continue;
      rows = [];
    }
    if (rows.length === 0) {
      throw new WrongExpectedVersionError(streamId, expected, await streamVersion(ctx.sql, streamId));
    }
    ctx.notifier.appended();
    return ctx.mapping.appendResult(streamId, prepared, rows);
  }
};
