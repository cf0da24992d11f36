import Redis from 'ioredis';
import { deleteKeysWithPrefix, uniqueRedisPrefix } from '../../libs/scheduling/src/testing/redis-test-prefix';
import { describeDeadlineScenarios } from './support/deadline-scenarios';

const redisUrl = process.env.TEST_REDIS_URL;

if (!redisUrl) {
  const reason =
    'ÉCHÉANCES BullMQ NON TESTÉES : TEST_REDIS_URL absent (ex. TEST_REDIS_URL=redis://127.0.0.1:6379). La CI le définit toujours.';
  console.warn(reason);
  test.skip(reason, () => undefined);
} else {
  const url = redisUrl;
  const prefixes: string[] = [];
  describeDeadlineScenarios({
    label: 'BullMQ sur Redis réel',
    timerCache: true,
    // A prefix per environment: the Redis server is shared with other suites, never FLUSHALL it.
    environment: () => {
      const prefix = uniqueRedisPrefix('e2e-echeances');
      prefixes.push(prefix);
      return {
        env: { REDIS_URL: url, BULLMQ_PREFIX: prefix },
        cache: {
          holds: async (jobId) => {
            const redis = new Redis(url, { maxRetriesPerRequest: 1 });
            try {
              return (await redis.exists(`${prefix}:deadlines:${jobId}`)) === 1;
            } finally {
              redis.disconnect();
            }
          },
          wipe: () => deleteKeysWithPrefix(url, prefix),
        },
      };
    },
    teardown: async () => {
      for (const prefix of prefixes) await deleteKeysWithPrefix(url, prefix);
    },
  });
}
