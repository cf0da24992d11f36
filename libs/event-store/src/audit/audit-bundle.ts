import type { AuditLog, ChainEntry, StoredCheckpoint, StreamHead } from './audit-log.port';
import { inclusionProof, leafHash, type ProofStep } from './merkle';

/** What an auditor takes away: checked offline by scripts/verify-audit-bundle.js. */
export interface AuditBundle {
  format: 'segur-audit-bundle/1';
  streamId: string;
  exportedAt: string;
  /** Every event of the stream as stored, with its prevHash and hash. */
  events: ChainEntry[];
  /** The latest signed checkpoint (null: none yet), and the stream's head it attests. */
  checkpoint: StoredCheckpoint | null;
  leaf: StreamHead | null;
  /** Audit path from the leaf to the checkpoint's root. */
  proof: ProofStep[];
  /** The key the service publishes today (GET /api/v1/audit/public-key), SPKI PEM. */
  publicKey: string | null;
}

/** The bundle of one stream; null when it has no event. */
export const exportBundle = async (
  log: AuditLog,
  streamId: string,
  publicKey: string | null,
  now: () => Date = () => new Date(),
): Promise<AuditBundle | null> => {
  const events = await log.readChain(streamId);
  if (events.length === 0) return null;
  const checkpoint = (await log.checkpoints()).at(-1) ?? null;
  const leaves = checkpoint ? await log.checkpointLeaves(checkpoint.id) : [];
  const index = leaves.findIndex((h) => h.streamId === streamId);
  const leaf = index >= 0 ? (leaves[index] as StreamHead) : null;
  return {
    format: 'segur-audit-bundle/1',
    streamId,
    exportedAt: now().toISOString(),
    events,
    checkpoint,
    leaf,
    proof: leaf ? inclusionProof(leaves.map(leafHash), index) : [],
    publicKey,
  };
};
