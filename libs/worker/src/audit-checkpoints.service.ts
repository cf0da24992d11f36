import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import {
  UnchainedEventsError,
  isAuditable,
  makeCheckpoint,
  type CheckpointOutcome,
} from '@segur/event-store';
import { INFRA, auditSigningKeyOf, type Infrastructure } from '@segur/platform';

/**
 * Signs a checkpoint of the whole log every AUDIT_CHECKPOINT_INTERVAL (docs/audit.md). Several
 * workers may run it: a checkpoint is skipped when nothing was appended since the latest one, and
 * two made at once are serialised by the store (the second one retries on top of the first).
 */
@Injectable()
export class AuditCheckpointService implements OnModuleInit, OnModuleDestroy {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;

  constructor(@Inject(INFRA) private readonly infra: Infrastructure) {}

  onModuleInit(): void {
    const key = auditSigningKeyOf(this.infra.config);
    if (!key || !isAuditable(this.infra.store)) {
      this.infra.logger.warn(
        'piste d’audit : aucun point de contrôle périodique (AUDIT_SIGNING_KEY absente ou magasin sans audit)',
      );
      return;
    }
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.checkpoint()
        .catch((e: unknown) =>
          e instanceof UnchainedEventsError
            ? this.infra.logger.warn({ err: e.message }, 'piste d’audit : point de contrôle différé')
            : this.infra.logger.error({ err: e }, 'piste d’audit : point de contrôle impossible'),
        )
        .finally(() => (this.running = null));
    }, this.infra.config.audit.checkpointIntervalMs);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  async checkpoint(): Promise<CheckpointOutcome | null> {
    const key = auditSigningKeyOf(this.infra.config);
    const store = this.infra.store;
    if (!key || !isAuditable(store)) return null;
    const outcome = await makeCheckpoint(store.auditLog(), key, () => this.infra.clock.now());
    if (outcome.created)
      this.infra.logger.info(
        { checkpoint: outcome.checkpoint?.id, position: outcome.checkpoint?.payload.position },
        'piste d’audit : point de contrôle signé',
      );
    return outcome;
  }
}
