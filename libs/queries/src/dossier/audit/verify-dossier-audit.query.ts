import { Query } from '@nestjs/cqrs';
import type { VerifyReport } from '@segur/event-store';

/** The refusal's code when the event store offers no audit trail (EventStoreDB today). */
export const AUDIT_UNAVAILABLE = 'AUDIT_INDISPONIBLE';

export interface DossierAuditReport extends VerifyReport {
  numeroAsp: string;
  /**
   * Set when the store cannot chain events written before the chain (EventStoreDB: events are
   * immutable), in French: then `audit chain` is no remedy, and whoever shows a "non chaîné" break says so.
   */
  cannotChain?: string;
}

/**
 * Recompute a dossier's hash chain and check it against the signed checkpoints (docs/audit.md):
 * "intact up to position P, checkpoint C", or the first broken link. `fromCheckpoint`: check the
 * checkpoints from this one on, not only the latest.
 */
export class VerifyDossierAuditQuery extends Query<DossierAuditReport> {
  constructor(
    readonly numeroAsp: string,
    readonly fromCheckpoint?: number,
  ) {
    super();
  }
}
