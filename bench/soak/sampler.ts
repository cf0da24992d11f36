import { readFileSync } from 'node:fs';
import { Queue } from 'bullmq';
import type { Client } from 'pg';

/** Resident memory of a process in MiB (Linux /proc), or null once it is gone. */
export const rssMiB = (pid: number | undefined): number | null => {
  if (pid === undefined) return null;
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m?.[1] ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
};

/**
 * How many events the slowest projection still has to apply: the store's last global position
 * minus the one in the laggiest checkpoint (positions are "<xid>-<global position>", 20 digits each).
 */
export const projectionLag = async (db: Client): Promise<number | null> => {
  try {
    const head = await db.query<{ g: string | null }>(
      'SELECT max(global_position)::text AS g FROM es_events',
    );
    const cps = await db.query<{ position: string | null }>('SELECT position FROM projection_checkpoints');
    const top = Number(head.rows[0]?.g ?? 0);
    let lag = 0;
    for (const { position } of cps.rows) {
      const g = position ? Number(position.split('-')[1] ?? 0) : 0;
      lag = Math.max(lag, top - g);
    }
    return lag;
  } catch {
    return null;
  }
};

/** BullMQ's deadlines queue: jobs waiting or delayed (due later). */
export const queueDepth = async (
  redisUrl: string,
  prefix: string,
): Promise<{ waiting: number; delayed: number } | null> => {
  const url = new URL(redisUrl);
  const queue = new Queue('deadlines', {
    prefix,
    connection: { host: url.hostname, port: Number(url.port || 6379), maxRetriesPerRequest: 1 },
  });
  try {
    const c = await queue.getJobCounts('waiting', 'delayed');
    return { waiting: c.waiting ?? 0, delayed: c.delayed ?? 0 };
  } catch {
    return null;
  } finally {
    await queue.close().catch(() => undefined);
  }
};
