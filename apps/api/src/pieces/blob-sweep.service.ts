import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { INFRA, sweepUnreferencedBlobs, type BlobSweepResult, type Infrastructure } from '@segur/platform';

/**
 * The periodic sweep of stored pieces no event references. It runs in the API because the API is
 * the process that stores pieces, in its `DATA_DIR` (the worker may run elsewhere). N API processes
 * sharing one `DATA_DIR` may sweep together: a blob is moved aside atomically before it is removed.
 */
@Injectable()
export class BlobSweepService implements OnModuleInit, OnModuleDestroy {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;

  constructor(@Inject(INFRA) private readonly infra: Infrastructure) {}

  onModuleInit(): void {
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.sweep()
        .catch((e: unknown) => this.infra.logger.error({ err: e }, 'pièces : balayage impossible'))
        .finally(() => (this.running = null));
    }, this.infra.config.blobSweep.intervalMs);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  async sweep(): Promise<BlobSweepResult> {
    const result = await sweepUnreferencedBlobs({
      store: this.infra.store,
      blobs: this.infra.blobs,
      clock: this.infra.clock,
      graceMs: this.infra.config.blobSweep.graceMs,
    });
    if (result.removed > 0) this.infra.logger.info(result, 'pièces non référencées supprimées');
    return result;
  }
}
