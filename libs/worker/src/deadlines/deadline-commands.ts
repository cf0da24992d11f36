import {
  DomainRefusalError,
  ExpireModificationCommand,
  PLANIFICATEUR,
  SendModificationReminderCommand,
  VersionConflictError,
  newCommandContext,
  type Issuer,
  type PlannedOutcome,
} from '@segur/commands';
import type { ExpireModification, SendModificationReminder } from '@segur/domain';
import type { Deadline, FireOutcome } from '@segur/scheduling';

/** Every firing of a deadline is a new command, correlated with its deadline's job. */
const issuerOf = (d: Deadline): Issuer => ({
  actor: PLANIFICATEUR,
  context: newCommandContext({ correlationId: `echeance-${d.jobId}` }),
});

/** The bus command a deadline stands for (one deadline at a time: the reconciler's stragglers). */
export const deadlineBusCommand = (
  d: Deadline,
): SendModificationReminderCommand | ExpireModificationCommand => {
  const data = { numeroAsp: d.numeroAsp, version: d.version };
  return d.kind === 'REMINDER'
    ? new SendModificationReminderCommand(data, issuerOf(d))
    : new ExpireModificationCommand(data, issuerOf(d));
};

/** The domain command a deadline stands for, decided at `at` (a batch of deadlines). */
export const deadlineDomainCommand = (
  d: Deadline,
  at: string,
): { command: SendModificationReminder | ExpireModification; context: Issuer['context'] } => {
  const { actor, context } = issuerOf(d);
  const data = { numeroAsp: d.numeroAsp, version: d.version };
  return {
    command:
      d.kind === 'REMINDER'
        ? { type: 'SendModificationReminder', data, actor, at }
        : { type: 'ExpireModification', data, actor, at },
    context,
  };
};

/**
 * What a firing became, for the scheduler: a refusal that the deadline is not yet due (the
 * database's and the decider's clocks disagree by a hair) is tried again shortly; any other refusal
 * means the dossier left that round (nothing to do); a conflict is tried again.
 */
export const fireOutcomeOf = (outcome: PlannedOutcome): FireOutcome => {
  switch (outcome.kind) {
    case 'accepted':
      return 'fired';
    case 'unchanged':
      return 'noop';
    case 'refused':
      return outcome.error.code === 'ECHEANCE_NON_ATTEINTE' ? 'retry' : 'noop';
    case 'conflict':
      return 'retry';
  }
};

/** The same, for the one-deadline path, whose refusals arrive as errors. */
export const fireOutcomeOfError = (e: unknown): FireOutcome => {
  if (e instanceof DomainRefusalError)
    return fireOutcomeOf({ kind: 'refused', error: e.error, streamVersion: 0 });
  if (e instanceof VersionConflictError) return fireOutcomeOf({ kind: 'conflict' });
  return 'retry';
};
