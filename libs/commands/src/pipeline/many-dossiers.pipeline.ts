import { dossierStreamId, type DossierCommand, type DossierDecider, type DossierState } from '@segur/domain';
import {
  joinsTransactions,
  type AppendManyItem,
  type EventStore,
  type NewEvent,
  type SqlClient,
  type SqlExecutor,
  type StoreTransaction,
} from '@segur/event-store';
import { errorMessage, type Logger } from '@segur/kernel';
import { recordCommandsInBulk } from '../log/command-log.bulk';
import { commandLogEntry, type CommandLogEntry } from '../log/command-log-entry';
import type { CommandContext } from './command-context';
import { appendDuration, commandLogFailures, countAppended, countHandled } from './command-metrics';
import type { PlannedOutcome } from './command-outcome';
import { foldEvents, loadInTransaction, readStreamsToDecide, type LoadedDossier } from './dossier-loader';
import { toNewEvents } from './new-events';
import type { PrefetchedStates } from './prefetched-states';

/** One command of a batch, with its own context (command id, correlation). */
export interface PlannedCommand {
  command: DossierCommand;
  context: CommandContext;
}

/**
 * A transaction the caller opened on the store's own database (the deadlines firer's claim): the
 * reads, the append and the command log go through it, and commit or roll back with the caller's
 * other writes. `afterCommit` runs a function once it committed.
 */
export interface TransactionScope {
  tx: SqlExecutor;
  afterCommit(fn: () => void): void;
}

export interface LoadOptions {
  transaction?: TransactionScope;
  /** States folded ahead; used inside a transaction only, where their version is checked. */
  prefetched?: PrefetchedStates;
}

export interface ApplyOptions {
  /**
   * Decisions per stream: a stream that moved under the batch (another import, a gestionnaire) is
   * read again and decided again, up to this many times; then its commands end as `conflict`.
   */
  maxAttempts: number;
}

/** One dossier of a batch: its state, the version it was read at, its commands in batch order. */
interface StreamGroup extends LoadedDossier {
  streamId: string;
  indexes: number[];
}

/** A batch read and folded, ready to be decided and appended (see ManyDossiersPipeline.load). */
export interface LoadedBatch {
  readonly planned: readonly PlannedCommand[];
  readonly groups: StreamGroup[];
  readonly joined: StoreTransaction | null;
  readonly transaction: TransactionScope | null;
}

/**
 * Many commands on many dossiers at once (an import chunk, a burst of due deadlines): one read of
 * every stream, one decision per command on its dossier's evolving state (a dossier's commands in
 * batch order), one `appendMany` for every stream, one statement of command log. The same decider,
 * envelope and log entries as the one-dossier path; only the round trips are shared.
 *
 * `load` and `apply` are separate so that an import reads its next chunk while this one is decided
 * and appended. On a SQL store the append and the log commit together (see apply); on the other
 * stores the command log is written right after the append: a crash in between loses those
 * entries, never events (a replayed line or deadline then logs `unchanged`).
 */
export class ManyDossiersPipeline {
  constructor(
    private readonly store: EventStore,
    private readonly sql: SqlClient,
    private readonly decider: DossierDecider,
    private readonly logger: Logger,
  ) {}

  async execute(
    planned: readonly PlannedCommand[],
    options: LoadOptions & ApplyOptions,
  ): Promise<PlannedOutcome[]> {
    return this.apply(await this.load(planned, options), options);
  }

  async load(planned: readonly PlannedCommand[], options: LoadOptions = {}): Promise<LoadedBatch> {
    const byStream = new Map<string, number[]>();
    planned.forEach((p, i) => {
      const streamId = dossierStreamId(p.command.data.numeroAsp);
      const list = byStream.get(streamId);
      if (list) list.push(i);
      else byStream.set(streamId, [i]);
    });
    const transaction = options.transaction ?? null;
    const joined =
      transaction && joinsTransactions(this.store) ? this.store.joinTransaction(transaction.tx) : null;
    const ids = [...byStream.keys()];
    const loaded = joined
      ? await loadInTransaction(this.decider, joined, ids, options.prefetched)
      : await this.read(ids);
    const groups = [...byStream].map(([streamId, indexes]): StreamGroup => {
      const dossier = loaded.get(streamId);
      return {
        streamId,
        indexes,
        state: dossier?.state ?? this.decider.initialState(),
        version: dossier?.version ?? 0,
      };
    });
    return { planned, groups, joined, transaction };
  }

  private async read(streamIds: readonly string[]): Promise<Map<string, LoadedDossier>> {
    const out = new Map<string, LoadedDossier>();
    for (const [id, s] of await readStreamsToDecide(this.store, this.sql, streamIds))
      out.set(id, { state: foldEvents(this.decider, s.events), version: s.version });
    return out;
  }

  /**
   * On a SQL store a batch loaded outside a transaction (an import chunk) is appended and logged in
   * one transaction of its own: the command log is then written if and only if the events are,
   * whatever fails in between (a lost connection, a constraint). Only stores that cannot join a
   * transaction (EventStoreDB, memory) append, then log (see record).
   */
  async apply(batch: LoadedBatch, options: ApplyOptions): Promise<PlannedOutcome[]> {
    const store = this.store;
    if (batch.joined || !joinsTransactions(store)) return this.applyIn(batch, options);
    const afterCommit: Array<() => void> = [];
    const outcomes = await this.sql.transaction((tx) =>
      this.applyIn(
        {
          ...batch,
          joined: store.joinTransaction(tx),
          transaction: { tx, afterCommit: (fn) => void afterCommit.push(fn) },
        },
        options,
        false,
      ),
    );
    for (const fn of afterCommit) fn();
    return outcomes;
  }

  private async applyIn(
    batch: LoadedBatch,
    options: ApplyOptions,
    freshIds = true,
  ): Promise<PlannedOutcome[]> {
    const { planned } = batch;
    const outcomes = new Array<PlannedOutcome>(planned.length);
    const io: Pick<EventStore, 'appendMany'> = batch.joined ?? this.store;
    const appendedTypes: string[] = [];
    let pending = batch.groups;
    for (let attempt = 1; pending.length > 0; attempt++) {
      const items: AppendManyItem[] = [];
      const appending: StreamGroup[] = [];
      for (const group of pending) {
        const events = this.decideGroup(group, planned, outcomes);
        if (events.length === 0) continue;
        items.push({
          streamId: group.streamId,
          events,
          expectedVersion: group.version === 0 ? 'no_stream' : group.version,
        });
        appending.push(group);
      }
      if (items.length === 0) break;
      // The recorded events are not needed: the batch knows what it appended.
      const endAppend = appendDuration.startTimer({ path: 'many' });
      const results = await io.appendMany(items, { returnEvents: false });
      endAppend();
      const conflicted: StreamGroup[] = [];
      results.forEach((r, i) => {
        const group = appending[i] as StreamGroup;
        if (!r.ok) return void conflicted.push(group);
        for (const e of (items[i] as AppendManyItem).events) appendedTypes.push(e.type);
        // Each accepted command is logged with the version its own last event reached.
        let v = group.version;
        for (const index of group.indexes) {
          const o = outcomes[index];
          if (o?.kind !== 'accepted') continue;
          v += o.events.length;
          o.streamVersion = v;
        }
      });
      if (conflicted.length === 0) break;
      if (attempt >= options.maxAttempts) {
        for (const group of conflicted) for (const i of group.indexes) outcomes[i] = { kind: 'conflict' };
        break;
      }
      pending = batch.joined
        ? await this.reloadJoined(batch.joined, conflicted)
        : await this.reload(conflicted);
    }
    await this.record(batch, outcomes, appendedTypes, freshIds);
    return outcomes;
  }

  /**
   * Decides a group's commands in batch order on its evolving state; returns the events to append.
   * Sets each command's outcome (accepted ones get their version once the append went in).
   */
  private decideGroup(
    group: StreamGroup,
    planned: readonly PlannedCommand[],
    outcomes: PlannedOutcome[],
  ): NewEvent[] {
    let state: DossierState = group.state;
    // The version each command is decided on (earlier accepted commands of the batch included): a
    // refusal or a no-op is logged with it, so the replay folds exactly the state it was decided on.
    let version = group.version;
    const events: NewEvent[] = [];
    const last = group.indexes.at(-1);
    for (const index of group.indexes) {
      const { command, context } = planned[index] as PlannedCommand;
      const decision = this.decider.decide(command, state);
      if (!decision.ok) {
        outcomes[index] = { kind: 'refused', error: decision.error, streamVersion: version };
        continue;
      }
      if (decision.value.length === 0) {
        outcomes[index] = { kind: 'unchanged', streamVersion: version };
        continue;
      }
      version += decision.value.length;
      for (const e of toNewEvents(decision.value, command, context)) events.push(e);
      // Only a later command of the same dossier reads the new state (a conflict reloads the stream).
      if (index !== last) for (const e of decision.value) state = this.decider.evolve(state, e);
      outcomes[index] = { kind: 'accepted', events: decision.value, streamVersion: group.version };
    }
    return events;
  }

  private async reload(groups: readonly StreamGroup[]): Promise<StreamGroup[]> {
    const loaded = await this.read(groups.map((g) => g.streamId));
    return groups.map((g) => ({ ...g, ...(loaded.get(g.streamId) ?? this.fresh()) }));
  }

  private async reloadJoined(
    joined: StoreTransaction,
    groups: readonly StreamGroup[],
  ): Promise<StreamGroup[]> {
    const loaded = await loadInTransaction(
      this.decider,
      joined,
      groups.map((g) => g.streamId),
      undefined,
    );
    return groups.map((g) => ({ ...g, ...(loaded.get(g.streamId) ?? this.fresh()) }));
  }

  private fresh(): LoadedDossier {
    return { state: this.decider.initialState(), version: 0 };
  }

  /**
   * The batch's command log in one statement, and its metrics. In a transaction (always, on a SQL
   * store) the log is part of it: a failure rolls the batch back and is thrown, and the appended
   * events are counted once it committed. Outside (EventStoreDB, memory), a failed log write is
   * counted (segur_command_log_failures_total) and logged, never thrown: the events are in.
   */
  private async record(
    batch: LoadedBatch,
    outcomes: readonly PlannedOutcome[],
    appendedTypes: readonly string[],
    freshIds: boolean,
  ): Promise<void> {
    const entries: CommandLogEntry[] = [];
    outcomes.forEach((o, i) => {
      const { command, context } = batch.planned[i] as PlannedCommand;
      entries.push(
        o.kind === 'refused'
          ? commandLogEntry(command, context, 'refused', o.error.code, o.streamVersion)
          : o.kind === 'conflict'
            ? commandLogEntry(command, context, 'conflict', 'CONFLIT_VERSION', null)
            : commandLogEntry(command, context, o.kind, null, o.streamVersion),
      );
    });
    countHandled(entries);
    const { joined, transaction } = batch;
    if (joined && transaction) {
      // A caller's transaction (the deadlines firer) makes new command ids for the batch: no ON
      // CONFLICT (see recordCommandsInBulk). An import's own transaction keeps it: a replayed line
      // may carry an id already logged.
      await recordCommandsInBulk(transaction.tx, entries, { freshIds });
      transaction.afterCommit(() => {
        countAppended(appendedTypes);
        joined.committed();
      });
      return;
    }
    countAppended(appendedTypes);
    await recordCommandsInBulk(this.sql, entries).catch((e: unknown) => {
      commandLogFailures.inc();
      this.logger.warn({ err: errorMessage(e), entries: entries.length }, 'journal des commandes non écrit');
    });
  }
}
