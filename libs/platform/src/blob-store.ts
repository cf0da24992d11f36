import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { mkdir, rename, writeFile, rm } from 'node:fs/promises';
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
}

const SHA256 = /^[0-9a-f]{64}$/;

export class FsBlobStore implements BlobStore {
  constructor(private readonly root: string) {}

  private pathOf(sha256: string): string {
    return join(this.root, sha256.slice(0, 2), sha256);
  }

  async put(content: Buffer): Promise<StoredBlob> {
    const sha256 = createHash('sha256').update(content).digest('hex');
    const target = this.pathOf(sha256);
    if (!existsSync(target)) {
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
}
