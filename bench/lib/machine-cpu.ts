import { readFileSync } from 'node:fs';

/**
 * CPU time the whole machine has spent (user, nice, system, irq, softirq), in ms, or null where
 * /proc/stat does not exist. The difference over a run, minus the measured process's own CPU, is
 * what the other processes spent: PostgreSQL's share on a quiet machine. On these noisy 2-core
 * machines, CPU per side compares runs better than wall time alone.
 */
export const machineCpuMs = (): number | null => {
  let line: string | undefined;
  try {
    line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0];
  } catch {
    return null;
  }
  const ticks = (line ?? '').split(/\s+/).slice(1).map(Number);
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0] = ticks;
  // USER_HZ is 100 on every Linux this runs on (clock ticks of /proc/stat).
  return (user + nice + system + irq + softirq) * 10;
};
