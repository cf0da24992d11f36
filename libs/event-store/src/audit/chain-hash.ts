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

const ARRAY_INDEX = /^(0|[1-9]\d{0,9})$/;
class IndexLikeKey extends Error {}

// Objects rebuilt with their keys inserted in code-unit order, so that the engine's native
// JSON.stringify writes them in JCS order: on the append path this is 3 to 4 times cheaper than the
// `canonicalize` package's recursive string building (docs/performance.md), and its output is also
// the JSON text stored, so an event is serialised once. JS orders integer-like keys ("2", "10")
// numerically whatever the insertion order: such an object throws IndexLikeKey, and the value is
// then written by `canonicalize` instead.
const sortedKeys = (value: unknown): unknown => {
  if (value === null || typeof value !== 'object') return value;
  const withJson = value as { toJSON?: () => unknown };
  if (typeof withJson.toJSON === 'function') return sortedKeys(withJson.toJSON());
  if (Array.isArray(value)) return value.map(sortedKeys);
  const source = value as Record<string, unknown>;
  // No prototype: a "__proto__" key is then an own property, as in the parsed JSON.
  const out = Object.create(null) as Record<string, unknown>;
  for (const key of Object.keys(source).sort()) {
    if (ARRAY_INDEX.test(key)) throw new IndexLikeKey();
    out[key] = sortedKeys(source[key]);
  }
  return out;
};

/**
 * RFC 8785 (JCS) text of a JSON value: keys sorted by UTF-16 code units, ECMAScript number and
 * string forms, no whitespace. Non-finite numbers are written null, as JSON.stringify (and so the
 * stored JSON) writes them. `undefined` alone is written null.
 */
export const canonicalJson = (value: unknown): string => {
  try {
    return JSON.stringify(sortedKeys(value === undefined ? null : value));
  } catch (error) {
    if (!(error instanceof IndexLikeKey)) throw error;
    const text = canonicalize(value);
    if (text === undefined) throw new TypeError('valeur non sérialisable en JSON');
    return text;
  }
};

/**
 * SHA-256 of the JCS text of `[streamId, eventId, type, schemaVersion, data, metadata]`, from the
 * JCS texts of data and metadata already written (the append path stores those very texts).
 */
export const digestOfCanonical = (
  streamId: string,
  id: string,
  type: string,
  schemaVersion: number,
  dataJcs: string,
  metadataJcs: string,
): string =>
  createHash('sha256')
    .update(
      `[${JSON.stringify(streamId)},${JSON.stringify(id)},${JSON.stringify(type)},${schemaVersion},${dataJcs},${metadataJcs}]`,
    )
    .digest('hex');

/**
 * SHA-256 of the JCS text of `[streamId, eventId, type, schemaVersion, data, metadata]`: what the
 * writer knows before the store assigns the version (PostgreSQL assigns it in the INSERT itself).
 */
export const eventDigest = (event: ChainedEvent): string =>
  digestOfCanonical(
    event.streamId,
    event.id,
    event.type,
    event.schemaVersion,
    canonicalJson(event.data ?? null),
    canonicalJson(event.metadata ?? null),
  );

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
