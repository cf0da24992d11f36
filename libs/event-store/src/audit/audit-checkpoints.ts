import type { KeyObject } from 'node:crypto';
import {
  ConcurrentCheckpointError,
  byCodeUnits,
  type AuditLog,
  type StoredCheckpoint,
  type StreamHead,
} from './audit-log.port';
import { publicKeyPemOf, signCheckpoint } from './checkpoint-signature';
import { leafHash, merkleRoot } from './merkle';

export interface CheckpointOutcome {
  /** false: nothing was appended since the latest checkpoint, which is returned. */
  created: boolean;
  checkpoint: StoredCheckpoint | null;
}

/** The previous leaves with the changed heads put in, in code-unit order. */
export const mergeLeaves = (
  previous: readonly StreamHead[],
  changed: readonly StreamHead[],
): StreamHead[] => {
  const byStream = new Map(previous.map((h) => [h.streamId, h]));
  for (const h of changed) byStream.set(h.streamId, h);
  return [...byStream.values()].sort((a, b) => byCodeUnits(a.streamId, b.streamId));
};

/**
 * Signs and stores a checkpoint of the whole log: the Merkle root over every stream's head at the
 * visible head position, chained to the previous checkpoint's root. Reads only the events since the
 * previous checkpoint (its leaves are stored). Nothing new since it: no checkpoint.
 */
export const makeCheckpoint = async (
  log: AuditLog,
  privateKey: KeyObject,
  now: () => Date = () => new Date(),
): Promise<CheckpointOutcome> => {
  for (let attempt = 0; ; attempt++) {
    const last = (await log.checkpoints()).at(-1) ?? null;
    const position = await log.headPosition();
    if (last && last.payload.position === position) return { created: false, checkpoint: last };
    const changed = position === null ? [] : await log.headsBetween(last?.payload.position ?? null, position);
    const leaves = mergeLeaves(last ? await log.checkpointLeaves(last.id) : [], changed);
    const payload = {
      format: 'segur-audit-checkpoint/1' as const,
      position,
      root: merkleRoot(leaves.map(leafHash)),
      streams: leaves.length,
      createdAt: now().toISOString(),
      previousRoot: last?.payload.root ?? null,
    };
    try {
      const checkpoint = await log.appendCheckpoint(
        payload,
        signCheckpoint(payload, privateKey),
        publicKeyPemOf(privateKey),
        changed,
      );
      return { created: true, checkpoint };
    } catch (error) {
      if (!(error instanceof ConcurrentCheckpointError) || attempt >= 2) throw error;
    }
  }
};
