import type { CommandBus, Command } from '@nestjs/cqrs';
import { v7 as uuidv7 } from 'uuid';
import type { Principal } from '@segur/auth';
import type { CommandOutcome } from '@segur/commands';
import { issuerFor, type IssuedCommand } from '../dossiers/command-http.service';
import { ProblemError } from '../http/problem';
import { problemOf } from '../http/problem-of';

export type WebCommandResult = { ok: true; outcome: CommandOutcome } | { ok: false; problem: ProblemError };

/**
 * A form's command on the one pipeline the JSON routes use: the same CommandBus, the same issuer
 * (tenancy, expected version) and the same problem mapping, so a page shows exactly the refusal the
 * API would have answered. Errors that are not refusals (a bug, the database gone) are rethrown.
 */
export const runWebCommand = async (
  bus: CommandBus,
  principal: Principal,
  command: IssuedCommand,
  expectedVersion: number | undefined,
): Promise<WebCommandResult> => {
  try {
    const issued: Command<CommandOutcome> = command(issuerFor(principal, uuidv7(), expectedVersion));
    return { ok: true, outcome: await bus.execute(issued) };
  } catch (e) {
    const problem = problemOf(e);
    if (problem instanceof ProblemError) return { ok: false, problem };
    throw problem;
  }
};

/** The `version` hidden field of a form: the stream version the page was built from (If-Match). */
export const expectedVersionOf = (raw: unknown): number | undefined =>
  typeof raw === 'string' && /^\d{1,10}$/.test(raw) ? Number(raw) : undefined;
