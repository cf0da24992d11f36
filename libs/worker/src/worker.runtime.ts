import type { CommandBus } from '@nestjs/cqrs';
import { FileMailer, OutboxDispatcher, SmtpMailer } from '@segur/notifications';
import { ProjectionRunner, type Projection } from '@segur/projections';
import { BullmqScheduler, EmbeddedScheduler, type Scheduler } from '@segur/scheduling';
import { webhookSecretKeyOf, type Infrastructure } from '@segur/platform';
import { WebhookDispatcher, WebhookSecretBox } from '@segur/webhooks';
import { DEADLINE_BATCHING, createDeadlineFirers } from './deadlines/deadline-firers';
import type { DeadlinePrefetch } from './deadline-prefetch';
import { createEmailRecorder } from './email-recorder';
import { buildProjections } from './projections';
import { eventsQuarantined } from './quarantine-metrics';

const STOP_TIMEOUT_MS = 10_000;

export interface WorkerOptions {
  /** Mail sender. */
  from?: string;
  projectionBatchSize?: number;
}

/**
 * Everything that runs from the store rather than from requests: projections (read models,
 * deadlines, email outbox) from checkpointed subscriptions, the timers, the mail loop, webhooks.
 * Never the in-memory EventBus: a restart resumes from the checkpoints and loses nothing.
 */
export class WorkerRuntime {
  readonly scheduler: Scheduler;
  readonly runner: ProjectionRunner;
  readonly outbox: OutboxDispatcher;
  readonly webhooks: WebhookDispatcher;
  /** States of the dossiers whose deadlines fall due soon, folded ahead (see DeadlinePrefetch). */
  readonly prefetch: DeadlinePrefetch | null;
  private started = false;

  constructor(
    private readonly infra: Infrastructure,
    bus: CommandBus,
    options: WorkerOptions = {},
  ) {
    const { config, sql, store, logger } = infra;
    // A claimed batch is decided on one read of its streams and appended in one appendMany (see
    // FireDueDeadlinesHandler); one deadline at a time remains for the reconciler's stragglers.
    const { firer, batchFirer, prefetch } = createDeadlineFirers({
      sql,
      store,
      decider: infra.decider,
      bus,
      logger: logger.child({ component: 'prechargement' }),
      prefetch: config.deadlines.prefetchMax > 0 ? { maxEntries: config.deadlines.prefetchMax } : false,
    });
    this.prefetch = prefetch;
    this.scheduler = config.redisUrl
      ? new BullmqScheduler({
          redisUrl: config.redisUrl,
          sql,
          firer,
          batchFirer,
          ...DEADLINE_BATCHING.bullmq,
          leaseMs: config.deadlines.leaseMs,
          prefix: config.bullmqPrefix,
          reconciler: {
            intervalMs: config.deadlines.reconcileIntervalMs,
            graceMs: config.deadlines.reconcileGraceMs,
          },
          logger: logger.child({ component: 'bullmq' }),
        })
      : new EmbeddedScheduler({
          sql,
          firer,
          batchFirer,
          ...DEADLINE_BATCHING.embedded,
          leaseMs: config.deadlines.leaseMs,
          // The table scan is the embedded mode's reconciler: a row written by another process
          // (a second worker on the same PostgreSQL) is seen within this period.
          maxSleepMs: config.deadlines.reconcileIntervalMs,
          logger: logger.child({ component: 'planificateur' }),
        });
    const mailer = config.smtpUrl
      ? new SmtpMailer(config.smtpUrl)
      : new FileMailer(config.dataDir, logger.child({ component: 'courriels' }));
    this.outbox = new OutboxDispatcher({
      sql,
      mailer,
      recorder: createEmailRecorder(bus),
      from: options.from ?? process.env.MAIL_FROM ?? 'Ségur numérique <ne-pas-repondre@segur.local>',
      logger: logger.child({ component: 'outbox' }),
    });
    const projections: Projection[] = buildProjections(config, {
      scheduler: this.scheduler,
      onEmailQueued: () => this.outbox.poke(),
      logger,
    });
    this.runner = new ProjectionRunner(sql, store, projections, {
      batchSize: options.projectionBatchSize ?? 500,
      maxAttempts: config.projections.maxAttempts,
      onQuarantined: (projection) => eventsQuarantined().inc({ projection }),
      logger: logger.child({ component: 'projections' }),
    });
    eventsQuarantined(); // registered at start, not at the first quarantine (dashboards, alerts)
    this.webhooks = new WebhookDispatcher(sql, store, logger.child({ component: 'webhooks' }), {
      deliveryRetentionMs: config.webhooks.deliveryRetentionMs,
      pauseAfterMs: config.webhooks.pauseAfterMs,
      allowLoopback: config.webhooks.allowLoopback,
      legacyHeaders: config.webhooks.legacyHeaders,
      publicUrl: config.publicUrl,
      secretBox: new WebhookSecretBox(webhookSecretKeyOf(config)),
    });
  }

  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    await this.runner.migrate();
    // The scheduler first: a schedule() arriving before start() would only be logged.
    await this.scheduler.start();
    this.prefetch?.start();
    this.runner.start();
    await this.outbox.start();
    this.webhooks.start();
    this.infra.logger.info({ projections: this.runner.projections.map((p) => p.name) }, 'worker démarré');
  }

  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    // A stop that hangs (a query stuck on a dead connection) must not keep the process alive:
    // each part gets a bounded time, then shutdown goes on and says so.
    const step = async (name: string, stop: () => Promise<void>): Promise<void> => {
      const t0 = Date.now();
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), STOP_TIMEOUT_MS);
      });
      const r = await Promise.race([stop().then(() => 'ok' as const), timedOut]);
      clearTimeout(timer);
      if (r === 'timeout')
        this.infra.logger.warn({ step: name, ms: STOP_TIMEOUT_MS }, 'arrêt du worker : délai dépassé');
      else this.infra.logger.debug({ step: name, ms: Date.now() - t0 }, 'arrêt du worker');
    };
    await step('webhooks', () => this.webhooks.stop());
    await step('outbox', () => this.outbox.stop());
    await step('projections', () => this.runner.stop());
    await step('scheduler', () => this.scheduler.stop());
    await step('prefetch', async () => this.prefetch?.stop());
  }
}
