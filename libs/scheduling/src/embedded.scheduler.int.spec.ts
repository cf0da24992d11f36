import { EmbeddedScheduler } from './embedded.scheduler';
import { batchFirerFrom } from './scheduler.port';
import { describeSchedulerBehaviour } from './testing/scheduler.behaviour';

// No Redis: the same behavioural suite as BullMQ, driven only by the deadlines table.
describeSchedulerBehaviour('planificateur intégré', {
  create: ({ sql, firer, backoff }) => new EmbeddedScheduler({ sql, firer, backoff, maxSleepMs: 1_000 }),
});

// The batched path (claim many, fire once, mark once) owes exactly the same behaviour.
describeSchedulerBehaviour('planificateur intégré par lots', {
  create: ({ sql, firer, backoff }) =>
    new EmbeddedScheduler({ sql, firer, batchFirer: batchFirerFrom(firer), backoff, maxSleepMs: 1_000 }),
});
