import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { mkdir, readdir, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';

export interface StoredBlob {
  sha256: string;
  size: number;
}

/** Pieces are stored by content (sha256): the same PDF sent twice is stored once. */
export interface BlobStore {
  put(content: Buffer): Promise<StoredBlob>;
  open(sha256: string): Promise<Readable | null>;
  /** Blobs last written or re-sent before `cutoff` (candidates of the sweep). */
  olderThan(cutoff: Date): Promise<string[]>;
  /**
   * Removes the blob unless it was written or re-sent since `cutoff` (a `put` racing with the sweep
   * wins); true when removed.
   */
  removeIfOlderThan(sha256: string, cutoff: Date): Promise<boolean>;
}

const SHA256 = /^[0-9a-f]{64}$/;

const isMissing = (e: unknown): boolean => (e as { code?: string }).code === 'ENOENT';

export class FsBlobStore implements BlobStore {
  constructor(private readonly root: string) {}

  private pathOf(sha256: string): string {
    return join(this.root, sha256.slice(0, 2), sha256);
  }

  async put(content: Buffer): Promise<StoredBlob> {
    const sha256 = createHash('sha256').update(content).digest('hex');
    const target = this.pathOf(sha256);
    // Already there: its modification time is renewed, so the sweep's grace period counts from this
    // use (the sweep may have judged it unreferenced a moment ago). Gone in between: written anew.
    const touched = existsSync(target)
      ? await utimes(target, new Date(), new Date()).then(
          () => true,
          () => false,
        )
      : false;
    if (!touched) {
      await mkdir(join(this.root, sha256.slice(0, 2)), { recursive: true });
      // Write then rename: a crash never leaves a half-written file under its final name.
      const tmp = `${target}.${randomBytes(6).toString('hex')}.tmp`;
      await writeFile(tmp, content);
      await rename(tmp, target).catch(async (e: unknown) => {
        await rm(tmp, { force: true });
        throw e;
      });
    }
    return { sha256, size: content.length };
  }

  async open(sha256: string): Promise<Readable | null> {
    if (!SHA256.test(sha256)) return null;
    const p = this.pathOf(sha256);
    return existsSync(p) ? createReadStream(p) : null;
  }

  async olderThan(cutoff: Date): Promise<string[]> {
    const found: string[] = [];
    let dirs: string[];
    try {
      dirs = await readdir(this.root);
    } catch (e) {
      if (isMissing(e)) return found;
      throw e;
    }
    for (const dir of dirs) {
      if (!/^[0-9a-f]{2}$/.test(dir)) continue;
      for (const name of await readdir(join(this.root, dir))) {
        const path = join(this.root, dir, name);
        const s = await stat(path).catch(() => null);
        if (!s || s.mtime >= cutoff) continue;
        // A temporary file older than the grace period is a write a crash interrupted.
        if (name.endsWith('.tmp')) await rm(path, { force: true });
        else if (SHA256.test(name) && name.startsWith(dir)) found.push(name);
      }
    }
    return found;
  }

  async removeIfOlderThan(sha256: string, cutoff: Date): Promise<boolean> {
    if (!SHA256.test(sha256)) return false;
    const target = this.pathOf(sha256);
    // Moved aside first (atomic): a `put` from now on writes the file anew. A `put` that touched it
    // just before is seen on the moved file's time, and the file is put back.
    const aside = `${target}.${randomBytes(6).toString('hex')}.sweep`;
    try {
      await rename(target, aside);
    } catch (e) {
      if (isMissing(e)) return false;
      throw e;
    }
    const s = await stat(aside);
    if (s.mtime >= cutoff) {
      if (existsSync(target)) await rm(aside, { force: true });
      else await rename(aside, target);
      return false;
    }
    await rm(aside, { force: true });
    return true;
  }
}
