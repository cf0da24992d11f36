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
}

/**
 * The one way a log entry is built, whichever path handled the command (one dossier, an import
 * chunk, a burst of deadlines): the payload is the command's data as decided, so that a recorded
 * command can later be decided again under changed rules.
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
});
