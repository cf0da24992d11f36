import type { CommandBus } from '@nestjs/cqrs';
import { FileMailer, OutboxDispatcher, OutboxProjection, SmtpMailer } from '@segur/notifications';
import { ProjectionRunner, createReadModelProjections, type Projection } from '@segur/projections';
import { BullmqScheduler, DeadlinesProjection, EmbeddedScheduler, type Scheduler } from '@segur/scheduling';
import type { Infrastructure } from '../infrastructure/infrastructure';
import { WebhookDispatcher } from '../webhooks/webhook.dispatcher';
import { createDeadlineFirer } from './deadline-firer';
import { createEmailRecorder } from './email-recorder';

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
  private started = false;

  constructor(
    private readonly infra: Infrastructure,
    bus: CommandBus,
    options: WorkerOptions = {},
  ) {
    const { config, sql, store, logger } = infra;
    const firer = createDeadlineFirer(bus, sql);
    this.scheduler = config.redisUrl
      ? new BullmqScheduler({
          redisUrl: config.redisUrl,
          sql,
          firer,
          logger: logger.child({ component: 'bullmq' }),
        })
      : new EmbeddedScheduler({ sql, firer, logger: logger.child({ component: 'planificateur' }) });
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
    const projections: Projection[] = [
      ...createReadModelProjections({ couloirs: config.couloirs }),
      new DeadlinesProjection(this.scheduler, logger.child({ component: 'echeances' })),
      new OutboxProjection({
        publicUrl: config.publicUrl,
        couloirs: config.couloirs,
        onQueued: () => this.outbox.poke(),
        logger: logger.child({ component: 'outbox' }),
      }),
    ];
    this.runner = new ProjectionRunner(sql, store, projections, {
      batchSize: options.projectionBatchSize ?? 500,
      logger: logger.child({ component: 'projections' }),
    });
    this.webhooks = new WebhookDispatcher(sql, store, logger.child({ component: 'webhooks' }));
  }

  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    await this.runner.migrate();
    // The scheduler first: a schedule() arriving before start() would only be logged.
    await this.scheduler.start();
    this.runner.start();
    await this.outbox.start();
    this.webhooks.start();
    this.infra.logger.info({ projections: this.runner.projections.map((p) => p.name) }, 'worker démarré');
  }

  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    await this.webhooks.stop();
    await this.outbox.stop();
    await this.runner.stop();
    await this.scheduler.stop();
  }
}
