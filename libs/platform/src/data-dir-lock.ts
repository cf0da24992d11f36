import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export class DataDirLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(
      `Le dossier de données ${dataDir} est déjà utilisé par le processus ${pid}. ` +
        `PGlite perdrait silencieusement les écritures d'un second processus : arrêtez l'autre processus, ` +
        `choisissez un autre DATA_DIR, ou passez par l'API du serveur en cours d'exécution.`,
    );
    this.name = 'DataDirLockedError';
  }
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * When a process started (clock ticks since boot, field 22 of /proc/<pid>/stat), or null where
 * /proc is absent: with it, a PID reused by another process is not mistaken for the holder.
 */
const startTime = (pid: number): string | null => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count from the last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
};

/** Locks this process holds: a second lock of the same DATA_DIR in one process is refused too. */
const heldHere = new Set<string>();

/**
 * Whether the holder written in the lock file still runs. Our own PID in a lock we do not hold is
 * a previous life of ours: a container's PID 1 killed and restarted is PID 1 again.
 */
const holderRuns = (file: string, content: string): number | null => {
  const [pidText, started] = content.trim().split(' ');
  const pid = Number(pidText);
  if (!Number.isInteger(pid) || pid <= 0) return null;
  if (pid === process.pid) return heldHere.has(file) ? pid : null;
  if (!alive(pid)) return null;
  if (started !== undefined) {
    const now = startTime(pid);
    if (now !== null && now !== started) return null;
  }
  return pid;
};

/**
 * Exclusive lock on DATA_DIR for the embedded mode. PGlite gives a second process no error and
 * loses its writes, so we refuse it ourselves. `O_EXCL` creation is atomic; a lock left by a dead
 * process (crash, kill -9, a container restarted with the same PID) is taken over. Written by
 * hand: proper-lockfile's mtime-refresh scheme would need a timer in every process and still
 * could not tell a restarted PID 1 from its previous life faster than its stale delay.
 */
export const lockDataDir = (dataDir: string): { release: () => void } => {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, '.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      const content = [process.pid, startTime(process.pid)].filter((v) => v !== null).join(' ');
      writeSync(fd, content);
      closeSync(fd);
      heldHere.add(file);
      let released = false;
      const release = (): void => {
        if (released) return;
        released = true;
        heldHere.delete(file);
        try {
          if (readFileSync(file, 'utf8') === content) rmSync(file);
        } catch {
          /* already gone */
        }
      };
      process.once('exit', release);
      return { release };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const holder = holderRuns(file, readFileSync(file, 'utf8'));
      if (holder !== null) throw new DataDirLockedError(dataDir, holder);
      rmSync(file, { force: true });
    }
  }
  throw new Error(`Verrou ${file} impossible à obtenir`);
};
