import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataDirLockedError, lockDataDir } from './data-dir-lock';

describe('exclusive lock on DATA_DIR (embedded mode)', () => {
  it('refuses a second holder while the first lives, with a clear message', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lock-'));
    const first = lockDataDir(dir);
    expect(() => lockDataDir(dir)).toThrow(DataDirLockedError);
    expect(() => lockDataDir(dir)).toThrow(/déjà utilisé par le processus/);
    first.release();
    const again = lockDataDir(dir);
    again.release();
    expect(existsSync(join(dir, '.lock'))).toBe(false);
  });

  it('takes over a lock left by a dead process', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lock-'));
    const dead = spawnSync(process.execPath, [
      '-e',
      'process.stdout.write(String(process.pid))',
    ]).stdout.toString();
    writeFileSync(join(dir, '.lock'), dead);
    const lock = lockDataDir(dir);
    lock.release();
  });
});
