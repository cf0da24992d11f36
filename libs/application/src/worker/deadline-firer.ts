import type { CommandBus } from '@nestjs/cqrs';
import type { ExpireModification, SendModificationReminder } from '@segur/domain';
import type { Deadline, DeadlineFirer } from '@segur/scheduling';
import type { SqlExecutor } from '@segur/event-store';
import { DomainRefusalError, VersionConflictError } from '../commands/domain-refusal.error';
import { newCommandContext } from '../commands/dossier-command.service';
import { ExecuteDossierCommand } from '../commands/execute-dossier-command';

const PLANIFICATEUR = { id: 'planificateur', role: 'system' } as const;

/** The command a deadline stands for, decided at `at`. */
export const deadlineCommand = (d: Deadline, at: string): SendModificationReminder | ExpireModification => {
  const data = { numeroAsp: d.numeroAsp, version: d.version };
  return d.kind === 'REMINDER'
    ? { type: 'SendModificationReminder', data, actor: PLANIFICATEUR, at }
    : { type: 'ExpireModification', data, actor: PLANIFICATEUR, at };
};

/** The DATABASE clock as an ISO instant. */
export const databaseNow = async (sql: SqlExecutor): Promise<string> => {
  const r = await sql.query<{ now: Date | string }>('SELECT now() AS now');
  const now = r.rows[0]?.now;
  return now instanceof Date ? now.toISOString() : new Date(String(now)).toISOString();
};

/**
 * Fires a deadline through the CommandBus. The instant given to the decider is the DATABASE
 * clock: the scheduler already checked `due_at` against it, and a worker whose clock is behind
 * must not be told "not yet" forever. A round that is already closed comes back as no events.
 */
export const createDeadlineFirer =
  (bus: Pick<CommandBus, 'execute'>, sql: SqlExecutor): DeadlineFirer =>
  async (d: Deadline) => {
    const command = deadlineCommand(d, await databaseNow(sql));
    try {
      const outcome = await bus.execute(
        new ExecuteDossierCommand(command, newCommandContext({ correlationId: `echeance-${d.jobId}` })),
      );
      return outcome.events.length > 0 ? 'fired' : 'noop';
    } catch (e) {
      if (e instanceof DomainRefusalError) {
        // "échéance non atteinte": the clocks disagree by a hair, try again shortly.
        if (e.error.code === 'STATUT_INCOMPATIBLE') return 'retry';
        return 'noop';
      }
      if (e instanceof VersionConflictError) return 'retry';
      return 'retry';
    }
  };
