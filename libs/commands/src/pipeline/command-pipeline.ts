import type { DossierCommand, DossierDecider } from '@segur/domain';
import type { EventStore, RecordedEvent, SqlClient } from '@segur/event-store';
import type { Logger } from '@segur/kernel';
import { CommandLog } from '../log/command-log';
import type { CommandContext } from './command-context';
import type { CommandOutcome, PlannedOutcome } from './command-outcome';
import { loadDossier, type LoadedDossier } from './dossier-loader';
import {
  ManyDossiersPipeline,
  type ApplyOptions,
  type LoadOptions,
  type PlannedCommand,
} from './many-dossiers.pipeline';
import { OneDossierPipeline } from './one-dossier.pipeline';

export interface CommandPipelineDeps {
  store: EventStore;
  sql: SqlClient;
  decider: DossierDecider;
  logger: Logger;
}

/**
 * The one way a command reaches the store, in two forms: one dossier (HTTP, CLI, a straggling
 * timer, the mail loop) and many dossiers at once (import chunks, bursts of due deadlines). Both
 * fold with the domain's fold, decide with the one decider, append with the version they read,
 * build their events' envelopes and their log entries the same way, and count the same metrics.
 * Command handlers are thin: they build the domain command and call one of these.
 */
export class CommandPipeline {
  readonly one: OneDossierPipeline;
  readonly many: ManyDossiersPipeline;

  constructor(private readonly deps: CommandPipelineDeps) {
    this.one = new OneDossierPipeline(deps.store, deps.decider, new CommandLog(deps.sql));
    this.many = new ManyDossiersPipeline(deps.store, deps.sql, deps.decider, deps.logger);
  }

  execute(command: DossierCommand, ctx: CommandContext): Promise<CommandOutcome> {
    return this.one.execute(command, ctx);
  }

  executeMany(
    planned: readonly PlannedCommand[],
    options: LoadOptions & ApplyOptions,
  ): Promise<PlannedOutcome[]> {
    return this.many.execute(planned, options);
  }

  /** A dossier's stream, read and folded as a decision would (reads that need the events too). */
  load(numeroAsp: string): Promise<LoadedDossier & { events: RecordedEvent[] }> {
    return loadDossier(this.deps.store, this.deps.decider, numeroAsp);
  }
}
