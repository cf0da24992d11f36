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
  // Plain loops and one growing string: an import hashes every line, and the map/filter/join
  // version spent most of its time allocating the intermediate arrays.
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) {
      const v: unknown = value[i];
      out += (i > 0 ? ',' : '') + (v === undefined ? 'null' : canonicalJson(v));
    }
    return `${out}]`;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  let out = '{';
  let first = true;
  for (const k of keys) {
    const v = record[k];
    if (v === undefined) continue;
    out += `${first ? '' : ','}${JSON.stringify(k)}:${canonicalJson(v)}`;
    first = false;
  }
  return `${out}}`;
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
