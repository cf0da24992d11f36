import type { Actor, DossierState } from '@segur/domain';
import { fastUuidV7 } from './fast-uuid-v7';

/** What travels with a command besides its data: its identity, its causes, its preconditions. */
export interface CommandContext {
  commandId: string;
  correlationId: string;
  causationId: string | null;
  /** From `If-Match`: the stream version the caller saw. */
  expectedVersion?: number;
  /**
   * Tenancy, checked on the loaded state before deciding: false refuses the command as if the
   * dossier did not exist (DossierNotFoundError).
   */
  canSee?: (state: DossierState) => boolean;
  /**
   * Work done once the decision is to append, right before the append: a piece's bytes are stored
   * only for a command that tenancy, the dossier's state and the rules accept. Done again if the
   * append is retried after a version conflict, so it must be idempotent.
   */
  beforeAppend?: () => Promise<void>;
}

/** Who issues a command of the bus, and in what context. */
export interface Issuer {
  actor: Actor;
  context: CommandContext;
}

export const newCommandContext = (partial: Partial<CommandContext> = {}): CommandContext => {
  const commandId = partial.commandId ?? fastUuidV7();
  return {
    commandId,
    correlationId: partial.correlationId ?? commandId,
    causationId: partial.causationId ?? null,
    ...(partial.expectedVersion !== undefined ? { expectedVersion: partial.expectedVersion } : {}),
    ...(partial.canSee ? { canSee: partial.canSee } : {}),
  };
};

/** The actors of the engine's own commands (timers, mail loop). */
export const PLANIFICATEUR: Actor = { id: 'planificateur', role: 'system' };
export const COURRIELS: Actor = { id: 'courriels', role: 'system' };
