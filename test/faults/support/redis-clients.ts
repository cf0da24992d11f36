import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import Redis from 'ioredis';

/** Local ports of the TCP connections to `redisPort` that belong to the given processes (Linux /proc). */
const portsOf = (pids: readonly number[], redisPort: number): Set<string> => {
  const inodes = new Set<string>();
  for (const pid of pids) {
    let fds: string[] = [];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
        if (m?.[1]) inodes.add(m[1]);
      } catch {
        /* closed meanwhile */
      }
    }
  }
  const ports = new Set<string>();
  const remote = redisPort.toString(16).toUpperCase().padStart(4, '0');
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      const [local, rem, , , , , , , , inode] = cols.slice(1);
      if (!local || !rem || !inode || !inodes.has(inode)) continue;
      if (rem.split(':')[1] !== remote) continue;
      ports.add(String(parseInt(local.split(':')[1] ?? '0', 16)));
    }
  }
  return ports;
};

/**
 * CLIENT KILL of every Redis connection of the engine's processes, and of nobody else's: the
 * server is shared with other users, so the connections are found by their owner's PID.
 */
export const killEngineRedisClients = async (redisUrl: string, pids: readonly number[]): Promise<number> => {
  const redisPort = Number(new URL(redisUrl).port || 6379);
  const ports = portsOf(pids, redisPort);
  const admin = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await admin.connect();
  try {
    const list = String(await admin.call('CLIENT', 'LIST'));
    let killed = 0;
    for (const line of list.split('\n')) {
      const addr = /(?:^| )addr=(\S+)/.exec(line)?.[1];
      const id = /(?:^| )id=(\d+)/.exec(line)?.[1];
      if (!addr || !id || !ports.has(addr.split(':').at(-1) ?? '')) continue;
      killed += Number(await admin.call('CLIENT', 'KILL', 'ID', id));
    }
    return killed;
  } finally {
    admin.disconnect();
  }
};
