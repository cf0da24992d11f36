import { Command } from '@nestjs/cqrs';
import type { RetryOutcome } from '@segur/projections';

/** Réapplique un événement en quarantaine (ou tous : `'all'`) à sa projection. */
export class RetryQuarantinedCommand extends Command<{ outcomes: RetryOutcome[] }> {
  constructor(
    /** A quarantine entry's id, or `all`: every quarantined stream. */
    readonly target: string,
    /** Who asked: kept in the log line, the quarantine has no event stream of its own. */
    readonly actor: string,
  ) {
    super();
  }
}
