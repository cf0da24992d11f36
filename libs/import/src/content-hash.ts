import { createHash } from 'node:crypto';

/**
 * JSON with object keys sorted at every level and no whitespace: the same data gives the same
 * text whatever the key order of the supplier's file. `undefined` members are left out, as
 * JSON.stringify does.
 */
export const canonicalJson = (value: unknown): string => {
  if (value === null || typeof value !== 'object') {
    const text = JSON.stringify(value) as string | undefined;
    return text ?? 'null';
  }
  if (Array.isArray(value))
    return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  const entries = Object.keys(value)
    .sort()
    .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
    .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
  return `{${entries.join(',')}}`;
};

const sha256Hex = (data: string | Uint8Array): string => createHash('sha256').update(data).digest('hex');

/**
 * Identity of a line's content for idempotency (DOMAIN rule 8): sha256 of its canonical JSON
 * without `numLigne` (renumbering lines when resending a file is not a change) nor a previous
 * `contentHash`. Two lines equal up to key order and numbering get the same hash.
 */
export const contentHash = (lineData: unknown): string => {
  if (lineData !== null && typeof lineData === 'object' && !Array.isArray(lineData)) {
    const { numLigne: _numLigne, contentHash: _previous, ...rest } = lineData as Record<string, unknown>;
    return sha256Hex(canonicalJson(rest));
  }
  return sha256Hex(canonicalJson(lineData));
};

/** sha256 (hex) of the file as received, recorded in the import report. */
export const fileSha256 = (buffer: Uint8Array): string => sha256Hex(buffer);
