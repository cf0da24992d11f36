import { createHash } from 'node:crypto';
import { canonicalJson } from './chain-hash';
import type { StreamHead } from './audit-log.port';

// A Merkle tree over the stream heads, in the shape of RFC 6962 (Certificate Transparency): leaves
// and inner nodes hashed with distinct prefixes (0x00, 0x01) so that a leaf can never pass for a
// node; an odd node at the end of a level goes up unchanged. The standalone verifier repeats it.

const sha256 = (...parts: Buffer[]): Buffer => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
};
const LEAF = Buffer.from([0]);
const NODE = Buffer.from([1]);

/** SHA-256(0x00 ‖ JCS([streamId, version, hash])), hex. */
export const leafHash = (head: StreamHead): string =>
  sha256(LEAF, Buffer.from(canonicalJson([head.streamId, head.version, head.hash]), 'utf8')).toString('hex');

const nodeHash = (left: string, right: string): string =>
  sha256(NODE, Buffer.from(left, 'hex'), Buffer.from(right, 'hex')).toString('hex');

/** The root of the tree over `leaves` (hex leaf hashes, in order); SHA-256 of nothing when empty. */
export const merkleRoot = (leaves: readonly string[]): string => {
  if (leaves.length === 0) return sha256().toString('hex');
  let level = [...leaves];
  while (level.length > 1) {
    const next: string[] = [];
    for (let i = 0; i < level.length; i += 2)
      next.push(
        i + 1 < level.length ? nodeHash(level[i] as string, level[i + 1] as string) : (level[i] as string),
      );
    level = next;
  }
  return level[0] as string;
};

/** One step of an inclusion proof: the sibling's hash and which side it stands on. */
export interface ProofStep {
  side: 'left' | 'right';
  hash: string;
}

/** The audit path of leaf `index` (siblings from the leaf up). */
export const inclusionProof = (leaves: readonly string[], index: number): ProofStep[] => {
  if (index < 0 || index >= leaves.length) throw new RangeError(`Feuille ${index} hors de l'arbre`);
  const proof: ProofStep[] = [];
  let level = [...leaves];
  let i = index;
  while (level.length > 1) {
    const sibling = i % 2 === 0 ? i + 1 : i - 1;
    if (sibling < level.length)
      proof.push({ side: i % 2 === 0 ? 'right' : 'left', hash: level[sibling] as string });
    const next: string[] = [];
    for (let k = 0; k < level.length; k += 2)
      next.push(
        k + 1 < level.length ? nodeHash(level[k] as string, level[k + 1] as string) : (level[k] as string),
      );
    level = next;
    i = Math.floor(i / 2);
  }
  return proof;
};

/** The root a leaf and its audit path lead to. */
export const rootFromProof = (leaf: string, proof: readonly ProofStep[]): string =>
  proof.reduce(
    (acc, step) => (step.side === 'left' ? nodeHash(step.hash, acc) : nodeHash(acc, step.hash)),
    leaf,
  );
