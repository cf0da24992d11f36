import { mkdtempSync, rmSync, utimesSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FsBlobStore } from './blob-store';

describe('FsBlobStore: what the sweep may remove', () => {
  let root: string;
  let blobs: FsBlobStore;
  const path = (sha: string) => join(root, sha.slice(0, 2), sha);
  const DAY = 24 * 3600_000;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'segur-blobs-'));
    blobs = new FsBlobStore(root);
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('lists and removes a blob untouched since the cutoff', async () => {
    const { sha256 } = await blobs.put(Buffer.from('%PDF-vieux'));
    const old = new Date(Date.now() - 2 * DAY);
    utimesSync(path(sha256), old, old);
    const cutoff = new Date(Date.now() - DAY);
    expect(await blobs.olderThan(cutoff)).toEqual([sha256]);
    expect(await blobs.removeIfOlderThan(sha256, cutoff)).toBe(true);
    expect(existsSync(path(sha256))).toBe(false);
  });

  it('keeps a blob sent again after it was listed (its time renewed): a put racing with the sweep wins', async () => {
    const content = Buffer.from('%PDF-reutilise');
    const { sha256 } = await blobs.put(content);
    const old = new Date(Date.now() - 2 * DAY);
    utimesSync(path(sha256), old, old);
    const cutoff = new Date(Date.now() - DAY);
    expect(await blobs.olderThan(cutoff)).toEqual([sha256]);
    await blobs.put(content);
    expect(await blobs.removeIfOlderThan(sha256, cutoff)).toBe(false);
    expect(existsSync(path(sha256))).toBe(true);
  });

  it('removes temporary files a crash left behind, once past the cutoff', async () => {
    const { sha256 } = await blobs.put(Buffer.from('%PDF-x'));
    const tmp = `${path(sha256)}.abc.tmp`;
    writeFileSync(tmp, 'moitié');
    const old = new Date(Date.now() - 2 * DAY);
    utimesSync(tmp, old, old);
    await blobs.olderThan(new Date(Date.now() - DAY));
    expect(existsSync(tmp)).toBe(false);
  });
});
