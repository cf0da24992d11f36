import type { Logger } from '@segur/kernel';
import { errorMessage } from '@segur/kernel';

/** The part of ioredis this check needs (a fake in tests). */
export interface RedisConfigReader {
  config(op: 'GET', key: string): Promise<unknown>;
}

/**
 * BullMQ keeps delayed jobs as ordinary keys: under any eviction policy but `noeviction`, memory
 * pressure silently deletes timers. The reconciler would restore them, but only a minute late and
 * only if nothing else is wrong, so this is shouted at start. Returns the policy seen (null if unknown).
 */
export const checkEvictionPolicy = async (
  redis: RedisConfigReader,
  logger: Logger,
): Promise<string | null> => {
  try {
    const reply = await redis.config('GET', 'maxmemory-policy');
    const policy = Array.isArray(reply) && typeof reply[1] === 'string' ? reply[1] : null;
    if (policy !== 'noeviction') {
      logger.warn(
        { maxmemoryPolicy: policy },
        `Redis maxmemory-policy vaut « ${policy ?? 'inconnu'} » au lieu de « noeviction » : des minuteurs J+10/J+20 peuvent être évincés (le rapprochement les rétablira, en retard)`,
      );
    }
    return policy;
  } catch (e) {
    // Managed Redis often forbids CONFIG: say so, but do not refuse to start.
    logger.warn(
      { err: errorMessage(e) },
      'impossible de lire maxmemory-policy de Redis : vérifiez qu’il vaut « noeviction »',
    );
    return null;
  }
};
