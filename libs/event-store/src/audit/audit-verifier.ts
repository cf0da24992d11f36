import type { AuditLog, ChainEntry, StoredCheckpoint, StreamHead } from './audit-log.port';
import { checkpointSignatureValid } from './checkpoint-signature';
import { leafHash, merkleRoot } from './merkle';
import { checkHead, firstBreak, type ChainBreak } from './verify-chain';

export interface VerifyOptions {
  /** Verify the checkpoints from this id on (default: the latest only). */
  fromCheckpoint?: number;
  /** Published public keys (SPKI PEM): a checkpoint signed by another key is refused. Empty: any. */
  trustedKeys?: readonly string[];
}

export interface CheckpointSummary {
  id: number;
  position: string | null;
  root: string;
  createdAt: string;
}

export interface VerifyReport {
  intact: boolean;
  streams: number;
  events: number;
  /** Position of the last event verified. */
  position: string | null;
  /** The latest checkpoint verified (null: none yet). */
  checkpoint: CheckpointSummary | null;
  break: ChainBreak | null;
  message: string;
}

export class UnknownCheckpointError extends Error {
  constructor(readonly id: number) {
    super(`Point de contrôle ${id} inconnu`);
    this.name = 'UnknownCheckpointError';
  }
}

const summary = (c: StoredCheckpoint): CheckpointSummary => ({
  id: c.id,
  position: c.payload.position,
  root: c.payload.root,
  createdAt: c.payload.createdAt,
});

const checkpointBreak = (c: StoredCheckpoint, kind: 'signature' | 'racine', message: string): ChainBreak => ({
  kind,
  streamId: null,
  eventId: null,
  streamVersion: null,
  position: c.payload.position,
  expected: null,
  found: null,
  message: `point de contrôle ${c.id} : ${message}`,
});

const normalisePem = (pem: string): string => pem.replace(/\s+/g, '');

/** A verified checkpoint and the heads it attests, by stream. */
interface VerifiedCheckpoint {
  checkpoint: StoredCheckpoint;
  leaves: Map<string, StreamHead>;
}

/**
 * Recomputes hash chains and checkpoint proofs from what is stored, trusting nothing stored but
 * the signatures (docs/audit.md, "Vérifier").
 */
export class AuditVerifier {
  constructor(private readonly log: AuditLog) {}

  /** One stream (a dossier); null when it has no event. */
  async verifyStream(streamId: string, options: VerifyOptions = {}): Promise<VerifyReport | null> {
    const entries = await this.log.readChain(streamId);
    if (entries.length === 0) return null;
    const checked = await this.verifyCheckpoints(options);
    if ('break' in checked) return this.report(1, entries.length, entries, checked.latest, checked.break);
    const brk = this.checkStream(entries, checked.verified);
    return this.report(1, entries.length, entries, checked.verified.at(-1)?.checkpoint ?? null, brk);
  }

  /** Every stream, a page of ids at a time; stops at the first broken link. */
  async verifyAll(options: VerifyOptions = {}): Promise<VerifyReport> {
    const checked = await this.verifyCheckpoints(options);
    if ('break' in checked) return this.report(0, 0, [], checked.latest, checked.break);
    const latest = checked.verified.at(-1)?.checkpoint ?? null;
    const seen = new Set<string>();
    let streams = 0;
    let events = 0;
    let position: string | null = null;
    for (let after: string | null = null; ;) {
      const ids = await this.log.streamIds(after, 500);
      if (ids.length === 0) break;
      for (const id of ids) {
        const entries = await this.log.readChain(id);
        seen.add(id);
        streams++;
        events += entries.length;
        for (const e of entries) if (position === null || e.position > position) position = e.position;
        const brk = this.checkStream(entries, checked.verified);
        if (brk) return this.report(streams, events, [], latest, brk, position);
      }
      after = ids.at(-1) ?? null;
    }
    // A stream a checkpoint attests and that has no event left was deleted whole.
    for (const { leaves } of checked.verified)
      for (const head of leaves.values())
        if (!seen.has(head.streamId))
          return this.report(streams, events, [], latest, checkHead([], head), position);
    return this.report(streams, events, [], latest, null, position);
  }

  private checkStream(
    entries: readonly ChainEntry[],
    verified: readonly VerifiedCheckpoint[],
  ): ChainBreak | null {
    const brk = firstBreak(entries);
    if (brk) return brk;
    for (const { leaves } of verified) {
      const head = leaves.get((entries[0] as ChainEntry).streamId);
      const headBreak = head ? checkHead(entries, head) : null;
      if (headBreak) return headBreak;
    }
    return null;
  }

  /** Signature, key, link to the previous root, and root recomputed from the stored leaves. */
  private async verifyCheckpoints(
    options: VerifyOptions,
  ): Promise<{ verified: VerifiedCheckpoint[] } | { break: ChainBreak; latest: StoredCheckpoint | null }> {
    const all = await this.log.checkpoints();
    let start = all.length - 1;
    if (options.fromCheckpoint !== undefined) {
      start = all.findIndex((c) => c.id === options.fromCheckpoint);
      if (start < 0) throw new UnknownCheckpointError(options.fromCheckpoint);
    }
    const trusted = new Set((options.trustedKeys ?? []).map(normalisePem));
    const verified: VerifiedCheckpoint[] = [];
    for (let i = Math.max(start, 0); i < all.length; i++) {
      const c = all[i] as StoredCheckpoint;
      const previous = i > 0 ? (all[i - 1] as StoredCheckpoint) : null;
      const fail = (kind: 'signature' | 'racine', message: string) => ({
        break: checkpointBreak(c, kind, message),
        latest: c,
      });
      if (trusted.size > 0 && !trusted.has(normalisePem(c.publicKey)))
        return fail('signature', 'signé par une clé qui n’est pas une clé publiée');
      if (!checkpointSignatureValid(c.payload, c.signature, c.publicKey))
        return fail('signature', 'signature Ed25519 invalide');
      if (c.payload.previousRoot !== (previous?.payload.root ?? null))
        return fail('racine', 'ne reprend pas la racine du point de contrôle précédent');
      const leaves = await this.log.checkpointLeaves(c.id);
      if (merkleRoot(leaves.map(leafHash)) !== c.payload.root || leaves.length !== c.payload.streams)
        return fail('racine', 'les têtes de flux enregistrées ne redonnent pas la racine signée');
      verified.push({ checkpoint: c, leaves: new Map(leaves.map((h) => [h.streamId, h])) });
    }
    return { verified };
  }

  private report(
    streams: number,
    events: number,
    entries: readonly ChainEntry[],
    checkpoint: StoredCheckpoint | null,
    brk: ChainBreak | null,
    lastPosition: string | null = entries.at(-1)?.position ?? null,
  ): VerifyReport {
    const cp = checkpoint ? `point de contrôle ${checkpoint.id}` : 'aucun point de contrôle signé';
    return {
      intact: brk === null,
      streams,
      events,
      position: lastPosition,
      checkpoint: checkpoint ? summary(checkpoint) : null,
      break: brk,
      message: brk
        ? `Chaîne rompue : ${brk.message}`
        : `Chaîne intègre jusqu'à la position ${lastPosition ?? '(vide)'}, ${cp}`,
    };
  }
}
