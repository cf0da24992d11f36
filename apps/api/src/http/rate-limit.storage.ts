import type { ThrottlerStorage } from '@nestjs/throttler';
import Redis from 'ioredis';

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

// One round trip, atomic: N api processes count into the same key. A fixed window (INCR, expiry
// set by the first hit) is enough to cap a principal; it allows at most 2× the limit across a
// window boundary, which the documented limits account for.
const INCREMENT = `
local hits = redis.call('INCR', KEYS[1])
if hits == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return {hits, ttl}`;

/** Rate-limit counters in Redis (server mode), shared by every api process. */
export class RedisThrottlerStorage implements ThrottlerStorage {
  private readonly redis: Redis;

  constructor(
    url: string,
    private readonly prefix: string,
  ) {
    this.redis = new Redis(url, { maxRetriesPerRequest: 1, lazyConnect: false });
  }

  async increment(
    key: string,
    ttl: number,
    limit: number,
    _blockDuration: number,
    throttlerName: string,
  ): Promise<ThrottlerStorageRecord> {
    const [hits, remainingMs] = (await this.redis.eval(
      INCREMENT,
      1,
      `${this.prefix}:rate:${throttlerName}:${key}`,
      String(ttl),
    )) as [number, number];
    return {
      totalHits: hits,
      timeToExpire: Math.ceil(remainingMs / 1000),
      isBlocked: hits > limit,
      timeToBlockExpire: hits > limit ? Math.ceil(remainingMs / 1000) : 0,
    };
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => undefined);
  }
}
