import { EmbeddedScheduler } from './embedded.scheduler';
import { describeSchedulerBehaviour } from './testing/scheduler.behaviour';

// No Redis: the same behavioural suite as BullMQ, driven only by the deadlines table.
describeSchedulerBehaviour('planificateur intégré', {
  create: ({ sql, firer, backoff }) => new EmbeddedScheduler({ sql, firer, backoff, maxSleepMs: 1_000 }),
});
