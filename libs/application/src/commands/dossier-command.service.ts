import { v7 as uuidv7 } from 'uuid';
import {
  dossierStreamId,
  type DossierCommand,
  type DossierEvent,
  type DossierState,
  type DossierDecider,
} from '@segur/domain';
import {
  WrongExpectedVersionError,
  appendsAlongside,
  type EventStore,
  type NewEvent,
  type RecordedEvent,
} from '@segur/event-store';
import { fastUuidV7 } from './fast-uuid-v7';
import { acceptedCommandCompanion, type CommandLog } from './command-log';
import { DomainRefusalError, VersionConflictError } from './domain-refusal.error';
import { DossierStateCache, type CachedDossier } from './dossier-state-cache';

export interface CommandContext {
  commandId: string;
  correlationId: string;
  causationId: string | null;
  /** From `If-Match`: the stream version the caller saw. */
  expectedVersion?: number;
  /** Checked on the loaded state before deciding (tenancy); throws to refuse. */
  authorize?: (state: DossierState) => void;
}

export interface CommandOutcome {
  numeroAsp: string;
  streamVersion: number;
  /** Position of the last appended event; null when nothing was appended (idempotent no-op). */
  position: string | null;
  events: RecordedEvent[];
  state: DossierState;
}

const MAX_ATTEMPTS = 5;

export const newCommandContext = (partial: Partial<CommandContext> = {}): CommandContext => {
  const commandId = partial.commandId ?? uuidv7();
  return {
    commandId,
    correlationId: partial.correlationId ?? commandId,
    causationId: partial.causationId ?? null,
    ...(partial.expectedVersion !== undefined ? { expectedVersion: partial.expectedVersion } : {}),
  };
};

/**
 * load stream (or its cached state) → decide → append with that version as expected version; a
 * conflict re-runs the whole decision on a fresh read.
 */
export class DossierCommandService {
  constructor(
    private readonly store: EventStore,
    private readonly decider: DossierDecider,
    private readonly log: CommandLog,
    private readonly cache = new DossierStateCache(),
  ) {}

  async load(numeroAsp: string): Promise<{ state: DossierState; version: number; events: RecordedEvent[] }> {
    const events = await this.store.readStream(dossierStreamId(numeroAsp));
    let state = this.decider.initialState();
    for (const e of events)
      state = this.decider.evolve(state, { type: e.type, data: e.data } as DossierEvent);
    return { state, version: events.at(-1)?.streamVersion ?? 0, events };
  }

  private async loadAndCache(numeroAsp: string, streamId: string): Promise<CachedDossier> {
    const { state, version } = await this.load(numeroAsp);
    this.cache.set(streamId, { state, version });
    return { state, version };
  }

  toNewEvents(events: DossierEvent[], command: DossierCommand, ctx: CommandContext): NewEvent[] {
    return events.map((e) => ({
      // The pooled generator: a bulk import takes 10,000 event ids a file, and the library's
      // 16-ids-per-getrandom refills alone were ~3 % of it.
      id: fastUuidV7(),
      type: e.type,
      schemaVersion: 1,
      data: e.data,
      metadata: {
        actor: { id: command.actor.id, role: command.actor.role },
        correlationId: ctx.correlationId,
        causationId: ctx.causationId ?? ctx.commandId,
        commandId: ctx.commandId,
      },
    }));
  }

  async execute(command: DossierCommand, ctx: CommandContext): Promise<CommandOutcome> {
    const numeroAsp = command.data.numeroAsp;
    const streamId = dossierStreamId(numeroAsp);
    const logEntry = (
      outcome: 'accepted' | 'unchanged' | 'refused' | 'conflict',
      errorCode: string | null,
      v: number | null,
    ) =>
      this.log
        .record({
          id: ctx.commandId,
          type: command.type,
          streamId,
          payload: command.data,
          actor: command.actor,
          correlationId: ctx.correlationId,
          outcome,
          errorCode,
          streamVersion: v,
        })
        .catch(() => undefined);

    // The cached state is used only as long as `useCache` holds; any answer that is not an accepted
    // append (tenancy 404, stale If-Match, refusal, no-op) is re-checked on a fresh read first, since
    // a stale state could give it wrongly. A stale state that decides an append is caught by the
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
      try {
        ctx.authorize?.(state);
      } catch (e) {
        if (recheck()) continue;
        throw e;
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
      try {
        const events = this.toNewEvents(decision.value, command, ctx);
        const options = { expectedVersion: version === 0 ? ('no_stream' as const) : version };
        const store = this.store;
        // SQL stores write the accepted command's log entry in the append's statement (one commit);
        // the others append, then log.
        const appended = appendsAlongside(store)
          ? await store.appendToStreamAlongside(
              streamId,
              events,
              options,
              acceptedCommandCompanion({
                id: ctx.commandId,
                type: command.type,
                streamId,
                payload: command.data,
                actor: command.actor,
                correlationId: ctx.correlationId,
              }),
            )
          : await store.appendToStream(streamId, events, options).then(async (result) => {
              await logEntry('accepted', null, result.nextExpectedVersion);
              return result;
            });
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
