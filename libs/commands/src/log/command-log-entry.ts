import { dossierStreamId, type DossierCommand } from '@segur/domain';
import type { CommandContext } from '../pipeline/command-context';

export type CommandLogOutcome = 'accepted' | 'unchanged' | 'refused' | 'conflict';

/** One row of `command_log`: every command handled, accepted or not. */
export interface CommandLogEntry {
  id: string;
  type: string;
  streamId: string | null;
  payload: unknown;
  actor: unknown;
  correlationId: string;
  outcome: CommandLogOutcome;
  errorCode: string | null;
  streamVersion: number | null;
  /**
   * The command's own instant (`command.at`), as the decider got it: `handled_at` is the database's
   * commit clock, which a timer or an import does not decide on. Replay needs the exact instant.
   */
  at: string;
}

/**
 * The one way a log entry is built, whichever path handled the command (one dossier, an import
 * chunk, a burst of deadlines): the payload is the command's data as decided, with its actor and its
 * instant, so that a recorded command can later be decided again under changed rules (the replay).
 * `streamVersion` is the version the command was decided on for a refusal or a no-op, and the
 * version its last event reached for an accepted command.
 */
export const commandLogEntry = (
  command: DossierCommand,
  ctx: Pick<CommandContext, 'commandId' | 'correlationId'>,
  outcome: CommandLogOutcome,
  errorCode: string | null,
  streamVersion: number | null,
): CommandLogEntry => ({
  id: ctx.commandId,
  type: command.type,
  streamId: dossierStreamId(command.data.numeroAsp),
  payload: command.data,
  actor: command.actor,
  correlationId: ctx.correlationId,
  outcome,
  errorCode,
  streamVersion,
  at: command.at,
});
