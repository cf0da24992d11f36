import { comparePositions, type RecordedEvent, type SqlClient, type SqlExecutor } from '@segur/event-store';
import type { Projection } from './projection';
import { groupByDossier } from './read-models/by-dossier';
import { prepareShadow, shadowSchemaOf } from './rebuild';
import { isRebuildable, type ReplaySession } from './rebuild-capability';
import type { ReplayBatch } from './rebuild-batches';
import { advanceCheckpointInTx, applyBatchInTx, readCheckpoint, setSearchPath } from './runner/checkpoints';

// Where rebuildProjections writes: one shadow per projection, its batches folded into its replay
// session (in memory, written by flushes) or applied in a transaction with its checkpoint.

export interface Shadow {
  projection: Projection;
  searchPath: readonly string[];
  /** Committed shadow checkpoint. */
  checkpoint: string | null;
  /** Last event folded: ahead of `checkpoint` while a session holds unflushed rows. */
  applied: string | null;
  session: ReplaySession | null;
  types: ReadonlySet<string> | null;
  resumed: boolean;
}

/**
 * The shadow of `projection`, created (or, with `fresh`, recreated) or resumed where an earlier
 * call left it, with its replay session if the projection has one (see RebuildCapability).
 */
export const openShadow = async (
  sql: SqlClient,
  projection: Projection,
  fresh: boolean,
  forgotten: Set<string>,
): Promise<Shadow> => {
  const resumed = await prepareShadow(sql, projection, fresh);
  const searchPath = [shadowSchemaOf(sql, projection), sql.schema];
  const checkpoint = await sql.transaction(async (tx) => {
    await setSearchPath(tx, searchPath);
    return readCheckpoint(tx, projection.name);
  });
  const session = isRebuildable(projection)
    ? (projection.replaySession?.({ empty: !resumed, forgotten }) ?? null)
    : null;
  const types = projection.eventTypes ? new Set(projection.eventTypes) : null;
  return { projection, searchPath, checkpoint, applied: checkpoint, session, types, resumed };
};

/** The checkpoint furthest behind: where a replay for every shadow starts. */
export const earliestCheckpoint = (shadows: readonly Shadow[]): string | null =>
  shadows.reduce<string | null>(
    (min, s, i) => (i === 0 || comparePositions(s.checkpoint, min) < 0 ? s.checkpoint : min),
    null,
  );

/**
 * Queries in the shadow's schema, each in its own short transaction: a session only loads rows it
 * does not hold yet, so most batches need no round trip at all.
 */
export const shadowReader = (sql: SqlClient, s: Shadow): SqlExecutor => ({
  query: (text, params) =>
    sql.transaction(async (tx) => {
      await setSearchPath(tx, s.searchPath);
      return tx.query(text, params);
    }),
});

/** A shadow resumed further than the others skips what it already holds. */
export const pendingFor = (s: Shadow, batch: readonly RecordedEvent[]): readonly RecordedEvent[] =>
  batch.length === 0 || comparePositions(batch[0]!.position, s.applied) > 0
    ? batch // the usual case: the whole batch is ahead (positions only grow within a batch)
    : batch.filter((e) => comparePositions(e.position, s.applied) > 0);

/** One batch into a session, in memory (its checkpoint moves at the next flush). */
export const foldIntoSession = async (sql: SqlClient, s: Shadow, batch: ReplayBatch): Promise<void> => {
  const pending = pendingFor(s, batch.events);
  const session = s.session;
  if (pending.length === 0 || !session) return;
  // A shadow resumed further than the others groups what it has not folded yet.
  const groups = pending === batch.events ? batch.groups : groupByDossier(pending);
  await session.apply(shadowReader(sql, s), groups, s.types);
  s.applied = pending.at(-1)!.position;
};

/** One batch into a projection without a session: applied and checkpointed in `tx`. */
export const applyToShadow = async (
  tx: SqlExecutor,
  s: Shadow,
  batch: readonly RecordedEvent[],
): Promise<void> => {
  const pending = pendingFor(s, batch);
  if (pending.length === 0) return;
  await setSearchPath(tx, s.searchPath);
  s.checkpoint = s.applied = (await applyBatchInTx(tx, s.projection, pending, s.checkpoint)).position;
};

/**
 * A write of what the sessions held, with their shadow checkpoints, running in the background:
 * `settled` once its transactions ended, `error` set if one rolled back.
 */
export class Flush {
  settled = false;
  error: Error | null = null;
  readonly done: Promise<void>;
  private readonly committed: { s: Shadow; position: string }[] = [];

  /**
   * Takes what every session holds (at once, in the constructor) and writes it, one transaction per
   * shadow with its own checkpoint (what a resume starts from), the shadows in parallel on their own
   * connections: the slowest table bounds a flush instead of the sum of them.
   */
  constructor(sql: SqlClient, shadows: readonly Shadow[], scope: 'all' | 'finished') {
    const parts = shadows.flatMap((s) => {
      if (!s.session || s.applied === null) return [];
      if (scope === 'all') {
        if (s.applied === s.checkpoint) return [];
        return [{ s, expected: s.checkpoint, position: s.applied, write: s.session.takeWrites() }];
      }
      if (!s.session.takeFinished || !s.session.finishedPending) return [];
      const { write, complete } = s.session.takeFinished();
      // Rows ahead of the checkpoint unless nothing else is left unwritten (see ReplaySession).
      return [{ s, expected: s.checkpoint, position: complete ? s.applied : null, write }];
    });
    this.done = Promise.all(
      parts.map((p) =>
        sql
          .transaction(async (tx) => {
            await setSearchPath(tx, p.s.searchPath);
            await p.write(tx);
            if (p.position !== null && p.position !== p.expected)
              await advanceCheckpointInTx(tx, p.s.projection.name, p.expected, p.position);
          })
          .then(
            () => {
              if (p.position !== null) this.committed.push({ s: p.s, position: p.position });
            },
            (error: unknown) => {
              this.error ??= error instanceof Error ? error : new Error(String(error));
            },
          ),
      ),
    ).then(() => {
      this.settled = true;
    });
  }

  /** The shadows' checkpoints are where this flush committed them; throws if a part rolled back. */
  commit(): void {
    for (const c of this.committed) c.s.checkpoint = c.position;
    if (this.error !== null) throw this.error;
  }
}
