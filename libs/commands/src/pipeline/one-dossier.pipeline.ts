import { dossierStreamId, type DossierCommand, type DossierDecider } from '@segur/domain';
import { WrongExpectedVersionError, appendsAlongside, type EventStore } from '@segur/event-store';
import { acceptedCommandCompanion, type CommandLog } from '../log/command-log';
import { commandLogEntry, type CommandLogOutcome } from '../log/command-log-entry';
import type { CommandContext } from './command-context';
import { DomainRefusalError, DossierNotFoundError, VersionConflictError } from './command.errors';
import {
  appendDuration,
  commandDuration,
  commandLogFailures,
  commandsHandled,
  countAppended,
} from './command-metrics';
import type { CommandOutcome } from './command-outcome';
import { loadDossier, type LoadedDossier } from './dossier-loader';
import { DossierStateCache } from './dossier-state-cache';
import { toNewEvents } from './new-events';

const MAX_ATTEMPTS = 5;

/**
 * One command on one dossier (HTTP, CLI, a straggling timer, the mail loop): load the stream (or
 * its cached state) → tenancy → If-Match → decide → append with that version expected → log. A
 * conflict re-runs the whole decision on a fresh read, a bounded number of times.
 */
export class OneDossierPipeline {
  constructor(
    private readonly store: EventStore,
    private readonly decider: DossierDecider,
    private readonly log: CommandLog,
    private readonly cache = new DossierStateCache(),
  ) {}

  private async loadAndCache(numeroAsp: string, streamId: string): Promise<LoadedDossier> {
    const { state, version } = await loadDossier(this.store, this.decider, numeroAsp);
    this.cache.set(streamId, { state, version });
    return { state, version };
  }

  async execute(command: DossierCommand, ctx: CommandContext): Promise<CommandOutcome> {
    const end = commandDuration.startTimer({ type: command.type });
    let outcome = 'refused' as CommandLogOutcome;
    try {
      const result = await this.run(command, ctx, (o) => (outcome = o));
      return result;
    } finally {
      end({ outcome: outcome === 'conflict' ? 'refused' : outcome });
      commandsHandled.inc({ type: command.type, outcome });
    }
  }

  private async run(
    command: DossierCommand,
    ctx: CommandContext,
    settle: (outcome: CommandLogOutcome) => void,
  ): Promise<CommandOutcome> {
    const numeroAsp = command.data.numeroAsp;
    const streamId = dossierStreamId(numeroAsp);
    const logEntry = (outcome: CommandLogOutcome, errorCode: string | null, v: number | null) => {
      settle(outcome);
      return this.log.record(commandLogEntry(command, ctx, outcome, errorCode, v)).catch(() => undefined);
    };

    // The cached state is used only as long as `useCache` holds; any answer that is not an accepted
    // append (tenancy, stale If-Match, refusal, no-op) is re-checked on a fresh read first, since a
    // stale state could give it wrongly. A stale state that decides an append is caught by the
    // append's expected version, the arbiter across processes.
    let useCache = true;
    for (let attempt = 1; ;) {
      const cached = useCache ? this.cache.get(streamId) : undefined;
      const { state, version } = cached ?? (await this.loadAndCache(numeroAsp, streamId));
      const recheck = (): boolean => {
        if (!cached) return false;
        this.cache.delete(streamId);
        useCache = false;
        return true;
      };
      if (ctx.canSee && !ctx.canSee(state)) {
        if (recheck()) continue;
        throw new DossierNotFoundError(numeroAsp);
      }
      if (ctx.expectedVersion !== undefined && ctx.expectedVersion !== version) {
        if (recheck()) continue;
        await logEntry('conflict', 'CONFLIT_VERSION', version);
        throw new VersionConflictError('stale_if_match', streamId, version);
      }
      const decision = this.decider.decide(command, state);
      if (!decision.ok) {
        if (recheck()) continue;
        await logEntry('refused', decision.error.code, version);
        throw new DomainRefusalError(decision.error);
      }
      if (decision.value.length === 0) {
        if (recheck()) continue;
        await logEntry('unchanged', null, version);
        return { numeroAsp, streamVersion: version, position: null, events: [], state };
      }
      if (ctx.beforeAppend) await ctx.beforeAppend();
      try {
        const events = toNewEvents(decision.value, command, ctx);
        const options = { expectedVersion: version === 0 ? ('no_stream' as const) : version };
        const store = this.store;
        // SQL stores write the accepted command's log entry in the append's statement (one commit,
        // both or neither); the others append, then log, and count a lost entry.
        const endAppend = appendDuration.startTimer({ path: 'one' });
        const appended = appendsAlongside(store)
          ? await store.appendToStreamAlongside(
              streamId,
              events,
              options,
              acceptedCommandCompanion(commandLogEntry(command, ctx, 'accepted', null, null)),
            )
          : await store.appendToStream(streamId, events, options).then(async (result) => {
              // The events are in and the command succeeded: a lost entry is counted, not thrown.
              await this.log
                .record(commandLogEntry(command, ctx, 'accepted', null, result.nextExpectedVersion))
                .catch(() => commandLogFailures.inc());
              return result;
            });
        endAppend();
        settle('accepted');
        countAppended(events.map((e) => e.type));
        let next = state;
        for (const e of decision.value) next = this.decider.evolve(next, e);
        this.cache.set(streamId, { state: next, version: appended.nextExpectedVersion });
        return {
          numeroAsp,
          streamVersion: appended.nextExpectedVersion,
          position: appended.lastPosition,
          events: appended.events,
          state: next,
        };
      } catch (e) {
        if (!(e instanceof WrongExpectedVersionError)) throw e;
        this.cache.delete(streamId);
        useCache = false;
        if (ctx.expectedVersion !== undefined) {
          await logEntry('conflict', 'CONFLIT_VERSION', e.actual);
          throw new VersionConflictError('stale_if_match', streamId, e.actual);
        }
        if (attempt >= MAX_ATTEMPTS) {
          await logEntry('conflict', 'CONFLIT_VERSION', e.actual);
          throw new VersionConflictError('retries_exhausted', streamId, e.actual);
        }
        attempt++;
      }
    }
  }
}
