import { createHash } from 'node:crypto';

/**
 * The id of a piece sent with an `Idempotency-Key`: derived from the caller, the key and the
 * request's fingerprint, so a retry after a crash (the piece appended, its answer never stored)
 * names the same piece and the decider appends nothing twice. A UUID of version 8 (RFC 9562,
 * custom), shaped like the others.
 */
export const pieceIdFromKey = (sub: string, key: string, requestHash: string): string => {
  const h = createHash('sha256').update(`${sub}\n${key}\n${requestHash}`).digest('hex');
  const variant = ((parseInt(h.charAt(16), 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
};
