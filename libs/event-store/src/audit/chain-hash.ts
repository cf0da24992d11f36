import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';

// The hash chain of every stream, computed the same way by every adapter, the verifier and the
// standalone bundle checker (scripts/verify-audit-bundle.js, which repeats these lines with Node's
// standard library only). See docs/audit.md, "Ce qui est haché".

/** prevHash of a stream's first event: 32 zero bytes. */
export const GENESIS_HASH = '0'.repeat(64);

/** What an event's hash covers besides its predecessor's hash and its stream version. */
export interface ChainedEvent {
  streamId: string;
  id: string;
  type: string;
  schemaVersion: number;
  data: unknown;
  metadata: unknown;
}

/** RFC 8785 (JCS) text of a JSON value: sorted keys, ECMAScript number form, no whitespace. */
export const canonicalJson = (value: unknown): string => {
  const text = canonicalize(value === undefined ? null : value);
  if (text === undefined) throw new TypeError('valeur non sérialisable en JSON');
  return text;
};

/**
 * SHA-256 of the JCS text of `[streamId, eventId, type, schemaVersion, data, metadata]`: what the
 * writer knows before the store assigns the version (PostgreSQL assigns it in the INSERT itself).
 */
export const eventDigest = (event: ChainedEvent): string =>
  createHash('sha256')
    .update(
      canonicalJson([
        event.streamId,
        event.id,
        event.type,
        event.schemaVersion,
        event.data ?? null,
        event.metadata ?? null,
      ]),
    )
    .digest('hex');

/** 8-byte big-endian stream version: PostgreSQL's int8send, so SQL and JS hash the same bytes. */
const versionBytes = (version: number): Buffer => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt(version));
  return b;
};

/** hash = SHA-256(prevHash ‖ streamVersion (8 bytes BE) ‖ digest), all three as bytes. */
export const linkHash = (prevHash: string, streamVersion: number, digest: string): string =>
  createHash('sha256')
    .update(Buffer.from(prevHash, 'hex'))
    .update(versionBytes(streamVersion))
    .update(Buffer.from(digest, 'hex'))
    .digest('hex');

/** An event's chain hash, from its predecessor's hash (GENESIS_HASH for version 1). */
export const chainHash = (prevHash: string, streamVersion: number, event: ChainedEvent): string =>
  linkHash(prevHash, streamVersion, eventDigest(event));
