import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';

/** A key prefix of its own per test file: the Redis server is shared with other suites. */
export const uniqueRedisPrefix = (name: string): string => `test-${name}-${randomBytes(4).toString('hex')}`;

/** FLUSHDB restricted to one prefix: never FLUSHALL a shared server. */
export const deleteKeysWithPrefix = async (url: string, prefix: string): Promise<number> => {
  const redis = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    let deleted = 0;
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) deleted += await redis.del(...keys);
    } while (cursor !== '0');
    return deleted;
  } finally {
    redis.disconnect();
  }
};
