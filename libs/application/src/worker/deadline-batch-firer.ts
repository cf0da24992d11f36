import {
  dossierStreamId,
  type DossierCommand,
  type DossierDecider,
  type DossierEvent,
  type DossierState,
} from '@segur/domain';
import {
  joinsTransactions,
  type AppendManyItem,
  type EventStore,
  type NewEvent,
  type SqlExecutor,
  type StoreTransaction,
  type StreamToDecide,
} from '@segur/event-store';
import type { Deadline, DeadlineBatchFirer, DeadlineFirer, FireOutcome } from '@segur/scheduling';
import type { CommandLogEntry } from '../commands/command-log';
import {
  type CommandContext,
  type DossierCommandService,
  newCommandContext,
} from '../commands/dossier-command.service';
import { eventsAppended } from '../observability/metrics';
import { deadlineCommand } from './deadline-firer';
import type { PrefetchedStates } from './deadline-prefetch';

export interface DeadlineBatchFirerDeps {
  /**
   * A store that joins transactions (PostgreSQL, PGlite) must live in the deadlines table's
   * database: the firer is then `transactional` and works inside the claim's transaction.
   */
  store: EventStore;
  decider: DossierDecider;
  /** Builds the events' metadata exactly as every other command does. */
  commands: Pick<DossierCommandService, 'toNewEvents'>;
  /**
   * The DATABASE clock as an ISO instant: the decider's `at` (see createDeadlineFirer), when the
   * caller does not give the claim's own clock.
   */
  now: () => Promise<string>;
  /**
   * Writes the command log entries of the batch (one statement), in `tx` when given (then a failure
   * rolls the batch back); outside a transaction a failure is only logged.
   */
  recordLog: (entries: readonly CommandLogEntry[], tx?: SqlExecutor) => Promise<void>;
  /**
   * The per-deadline CommandBus path: used for a stream whose batched append met a conflict, outside
   * a transaction (inside one, that stream's deadlines come back as `retry`).
   */
  fallback: DeadlineFirer;
  onLogError?: (error: unknown) => void;
  /**
   * States folded ahead of the due time (DeadlinePrefetch). Used in a joined transaction only, for a
   * stream whose version there is still the entry's: the same events, hence the same state.
   */
  prefetched?: PrefetchedStates;
}

interface Decided {
  deadline: Deadline;
  command: DossierCommand;
  ctx: CommandContext;
  outcome: FireOutcome;
  /** Refusal code, for the command log. */
  errorCode: string | null;
  events: DossierEvent[];
}

/** A stream to decide on: its version and either its events to fold or its state folded ahead. */
interface StreamAt {
  version: number;
  events?: StreamToDecide['events'];
  state?: DossierState;
}

interface StreamBatch {
  streamId: string;
  version: number;
  decided: Decided[];
}

const fold = (
  decider: DossierDecider,
  events: ReadonlyArray<{ type: string; data: unknown }>,
): DossierState => {
  let state = decider.initialState();
  for (const e of events) state = decider.evolve(state, { type: e.type, data: e.data } as DossierEvent);
  return state;
};

/**
 * Each stream's version and what to decide on, in the claim's transaction: a state prefetched at the
 * stream's current version (one index step per stream, no event data) or, for the others, the
 * events. Both reads register the versions with the transaction, so the append that follows expects
 * exactly them (and takes the light insert): a stream that moves after this read conflicts as usual.
 */
const readToDecide = async (
  joined: StoreTransaction,
  ids: readonly string[],
  prefetched: PrefetchedStates | undefined,
): Promise<Map<string, StreamAt>> => {
  const out = new Map<string, StreamAt>();
  const held = prefetched ? ids.filter((id) => prefetched.get(id) !== undefined) : [];
  let stale = 0;
  if (prefetched && held.length > 0) {
    const versions = await joined.readStreamVersions(held);
    for (const id of held) {
      const entry = prefetched.get(id);
      if (entry && versions.get(id) === entry.version)
        out.set(id, { version: entry.version, state: entry.state });
      else stale += 1;
    }
    prefetched.used(out.size, stale);
  }
  const rest = out.size === 0 ? ids : ids.filter((id) => !out.has(id));
  if (rest.length > 0) for (const [id, s] of await joined.readStreamsToDecide(rest)) out.set(id, s);
  return out;
};

/**
 * The production batch firer: a burst of due reminders / expiries (a restart after a stop, many
 * rounds opened by one import) costs one stream read, one append and one command-log write per
 * batch instead of a read, an append and a log write per deadline through the CommandBus, which
 * capped the drain at a few hundred deadlines per second.
 *
 * Same decisions as the per-deadline path: the same decider on a fresh read of each stream, the
 * database clock as `at`, actor `planificateur`/system, correlation `echeance-<jobId>`, a new
 * command id per firing, refusals and no-ops logged as such. Repeat-safe as that path is: the
 * decider ignores a reminder already sent or a closed round, and each stream is appended with the
 * version it was decided on, so a concurrent writer (a gestionnaire, another firer whose lease
 * expired) makes that stream conflict and it alone goes through the per-deadline path, which
 * re-reads and re-decides.
 *
 * On a store that joins transactions (PostgreSQL, PGlite) the firer is `transactional`: the stream
 * reads, the append and the command log go through the claim's transaction, which also marks the
 * rows, so a batch is fired, logged and marked all at once or not at all. A stream that conflicts
 * there comes back `retry` (backoff) rather than through the CommandBus: that path would write on
 * another connection, apart from the batch (and on PGlite wait for the batch's transaction).
 *
 * On another store (EventStoreDB, memory) the command log is written right after the append, as the
 * bulk import does: a crash in between loses the `accepted` entries of that batch, never events; a
 * re-fired deadline then logs `unchanged`. The worker's state cache is not updated: it is never
 * trusted without the expected version check, so a stale entry costs one reload, not a wrong decision.
 */
export const createDeadlineBatchFirer = (deps: DeadlineBatchFirerDeps): DeadlineBatchFirer =>
  Object.assign(fireBatch(deps), { transactional: joinsTransactions(deps.store) });

const fireBatch =
  (deps: DeadlineBatchFirerDeps): DeadlineBatchFirer =>
  async (deadlines, context) => {
    const outcomes = new Map<string, FireOutcome>();
    if (deadlines.length === 0) return outcomes;
    const at = context?.claimedAt ?? (await deps.now());
    const tx = context?.transaction;
    const joined = tx && joinsTransactions(deps.store) ? deps.store.joinTransaction(tx) : null;
    const io: Pick<EventStore, 'appendMany'> = joined ?? deps.store;

    // A dossier's deadlines are decided in due order on one evolving state: after a long stop its
    // reminder and its expiry may both be due, and the expiry must see the reminder's effect.
    const byStream = new Map<string, Deadline[]>();
    for (const d of deadlines) {
      const streamId = dossierStreamId(d.numeroAsp);
      const list = byStream.get(streamId);
      if (list) list.push(d);
      else byStream.set(streamId, [d]);
    }
    const ids = [...byStream.keys()];
    const streams: Map<string, StreamAt> = joined
      ? await readToDecide(joined, ids, deps.prefetched)
      : new Map(
          [...(await deps.store.readStreams(ids))].map(([id, recorded]) => [
            id,
            { version: recorded.at(-1)?.streamVersion ?? 0, events: recorded },
          ]),
        );

    const batches: StreamBatch[] = [];
    const log: CommandLogEntry[] = [];
    const entry = (
      x: Decided,
      streamId: string,
      outcome: CommandLogEntry['outcome'],
      streamVersion: number,
    ): CommandLogEntry => ({
      id: x.ctx.commandId,
      type: x.command.type,
      streamId,
      payload: x.command.data,
      actor: x.command.actor,
      correlationId: x.ctx.correlationId,
      outcome,
      errorCode: x.errorCode,
      streamVersion,
    });

    for (const [streamId, list] of byStream) {
      const stream = streams.get(streamId) ?? { version: 0, events: [] };
      let state = stream.state ?? fold(deps.decider, stream.events ?? []);
      const version = stream.version;
      const decided: Decided[] = [];
      for (const deadline of [...list].sort((a, b) => a.dueAt.localeCompare(b.dueAt))) {
        const command = deadlineCommand(deadline, at);
        const ctx = newCommandContext({ correlationId: `echeance-${deadline.jobId}` });
        const decision = deps.decider.decide(command, state);
        if (!decision.ok) {
          // "échéance non atteinte": the clocks disagree by a hair, try again shortly.
          const outcome = decision.error.code === 'STATUT_INCOMPATIBLE' ? 'retry' : 'noop';
          decided.push({ deadline, command, ctx, outcome, errorCode: decision.error.code, events: [] });
          continue;
        }
        const outcome = decision.value.length > 0 ? 'fired' : 'noop';
        decided.push({ deadline, command, ctx, outcome, errorCode: null, events: decision.value });
        for (const e of decision.value) state = deps.decider.evolve(state, e);
      }
      batches.push({ streamId, version, decided });
    }

    const appending = batches.filter((b) => b.decided.some((x) => x.events.length > 0));
    const items: AppendManyItem[] = appending.map((b) => ({
      streamId: b.streamId,
      events: b.decided.flatMap((x): NewEvent[] => deps.commands.toNewEvents(x.events, x.command, x.ctx)),
      expectedVersion: b.version === 0 ? 'no_stream' : b.version,
    }));
    // The recorded events are not needed: the batch knows what it appended.
    const results = items.length > 0 ? await io.appendMany(items, { returnEvents: false }) : [];
    const appended: string[] = [];
    const conflicted = new Set<string>();
    results.forEach((r, i) => {
      const b = appending[i] as StreamBatch;
      if (!r.ok) {
        conflicted.add(b.streamId);
        return;
      }
      for (const e of (items[i] as AppendManyItem).events) appended.push(e.type);
      // Each accepted command is logged with the version its own last event reached.
      let v = b.version;
      for (const x of b.decided) {
        v += x.events.length;
        if (x.events.length > 0) log.push(entry(x, b.streamId, 'accepted', v));
      }
    });

    for (const b of batches) {
      if (conflicted.has(b.streamId)) continue;
      for (const x of b.decided) {
        outcomes.set(x.deadline.jobId, x.outcome);
        if (x.events.length > 0) continue;
        log.push(entry(x, b.streamId, x.errorCode ? 'refused' : 'unchanged', b.version));
      }
    }
    const counted = (): void => {
      for (const type of appended) eventsAppended.inc({ type });
    };
    if (joined) {
      await deps.recordLog(log, tx);
      // Counted and announced once committed: a rolled back batch appended nothing.
      context?.afterCommit?.(() => {
        counted();
        joined.committed();
        // Fired (or moved on): a later deadline of these dossiers is days away, read again by then.
        deps.prefetched?.forget(byStream.keys());
      });
      for (const b of batches)
        if (conflicted.has(b.streamId)) for (const x of b.decided) outcomes.set(x.deadline.jobId, 'retry');
      return outcomes;
    }
    counted();
    const logged = deps.recordLog(log).catch((e: unknown) => deps.onLogError?.(e));

    // The stream moved since it was read: its deadlines go through the CommandBus, which re-reads,
    // re-decides and retries its own conflicts. Rare (a concurrent command on that very dossier).
    for (const b of batches) {
      if (!conflicted.has(b.streamId)) continue;
      for (const x of b.decided)
        outcomes.set(x.deadline.jobId, await deps.fallback(x.deadline).catch((): FireOutcome => 'retry'));
    }
    await logged;
    return outcomes;
  };
