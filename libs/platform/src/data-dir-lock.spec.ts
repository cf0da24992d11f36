import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
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

describe('lock left by a previous life of this PID (container restarted as PID 1)', () => {
  it('takes over a lock holding our own PID that this process does not hold', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lock-'));
    writeFileSync(join(dir, '.lock'), String(process.pid));
    const lock = lockDataDir(dir);
    expect(() => lockDataDir(dir)).toThrow(DataDirLockedError);
    lock.release();
    expect(existsSync(join(dir, '.lock'))).toBe(false);
  });

  it('takes over a lock whose PID now belongs to a process started later', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lock-'));
    // PID of a live process (the parent of this test) but a start time that is not its own.
    writeFileSync(join(dir, '.lock'), `${process.ppid} 1`);
    const lock = lockDataDir(dir);
    lock.release();
  });

  it('still refuses a live holder with its true start time', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lock-'));
    const stat = readFileSync(`/proc/${process.ppid}/stat`, 'utf8');
    const started = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
    writeFileSync(join(dir, '.lock'), `${process.ppid} ${started}`);
    expect(() => lockDataDir(dir)).toThrow(new RegExp(`processus ${process.ppid}`));
  });
});
