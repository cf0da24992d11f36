import { hash } from 'node:crypto';

/**
 * The reference canonical JSON (see canonicalJson), written out by hand: object keys sorted at
 * every level, no whitespace, `undefined` members left out and `undefined` array items as null.
 * Exported for the spec, which checks the native fast path against it.
 */
export const canonicalJsonByHand = (value: unknown): string => {
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
      out += (i > 0 ? ',' : '') + (v === undefined ? 'null' : canonicalJsonByHand(v));
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
    out += `${first ? '' : ','}${JSON.stringify(k)}:${canonicalJsonByHand(v)}`;
    first = false;
  }
  return `${out}}`;
};

/** Deeper than any line; beyond it the fast path gives up (and the hand-written one decides). */
const FAST_DEPTH = 16;

const isPlainRecord = (v: object): v is Record<string, unknown> =>
  Object.getPrototypeOf(v) === Object.prototype;

const keysInOrder = (keys: readonly string[]): boolean => {
  for (let i = 1; i < keys.length; i++) if (!((keys[i - 1] as string) < (keys[i] as string))) return false;
  return true;
};

/**
 * True when JSON.stringify(value) writes exactly canonicalJsonByHand(value): only strings, numbers,
 * booleans, null, arrays without undefined items and plain objects (no toJSON: a function is refused)
 * whose own keys already come in code-unit order, which is the order of Array.prototype.sort.
 */
const stringifiesCanonically = (value: unknown, depth: number): boolean => {
  if (value === null) return true;
  const type = typeof value;
  if (type === 'string' || type === 'number' || type === 'boolean') return true;
  if (type !== 'object' || depth > FAST_DEPTH) return false;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const v: unknown = value[i];
      if (v === undefined || !stringifiesCanonically(v, depth + 1)) return false;
    }
    return true;
  }
  if (!isPlainRecord(value as object)) return false;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  if (!keysInOrder(keys)) return false;
  for (const k of keys) {
    const v = record[k];
    if (v !== undefined && !stringifiesCanonically(v, depth + 1)) return false;
  }
  return true;
};

/** The record's members but `omit`, inserted in sorted key order (so enumerated in that order). */
const sortedCopy = (
  record: Record<string, unknown>,
  keys: readonly string[],
  omit: ReadonlySet<string>,
): Record<string, unknown> => {
  const out: Record<string, unknown> = {};
  for (const k of [...keys].sort()) if (!omit.has(k)) out[k] = record[k];
  return out;
};

const NOTHING: ReadonlySet<string> = new Set();

/**
 * JSON with object keys sorted at every level and no whitespace: the same data gives the same
 * text whatever the key order of the supplier's file. `undefined` members are left out, as
 * JSON.stringify does; so are the top-level keys in `omit`.
 *
 * Fast path (an import hashes every line, and the hand-written walk was most of the validation's
 * time): when every nested object already lists its keys in order, V8's native JSON.stringify
 * writes the very same text much faster. The top-level object is re-inserted in sorted order first
 * (lines are built field by field, not alphabetically); anything else falls back to the
 * hand-written walk, so the text never depends on which path ran.
 */
export const canonicalJson = (value: unknown, omit: ReadonlySet<string> = NOTHING): string => {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return stringifiesCanonically(value, 0) ? JSON.stringify(value) : canonicalJsonByHand(value);
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  // An own `__proto__` key (JSON.parse makes them) cannot be re-inserted by assignment.
  if (isPlainRecord(record) && !keys.includes('__proto__')) {
    const copy =
      !keysInOrder(keys) || keys.some((k) => omit.has(k)) ? sortedCopy(record, keys, omit) : record;
    return stringifiesCanonically(copy, 0) ? JSON.stringify(copy) : canonicalJsonByHand(copy);
  }
  if (omit.size === 0) return canonicalJsonByHand(record);
  const rest: Record<string, unknown> = { ...record };
  for (const k of omit) delete rest[k];
  return canonicalJsonByHand(rest);
};

// One-shot crypto.hash: no Hash object per line (faster than createHash for a line).
const sha256Hex = (data: string | Uint8Array): string => hash('sha256', data, 'hex');

/** Left out of a line's identity: renumbering lines is not a change, and a previous hash is not content. */
const NOT_CONTENT: ReadonlySet<string> = new Set(['numLigne', 'contentHash']);

/**
 * Identity of a line's content for idempotency (DOMAIN rule 8): sha256 of its canonical JSON
 * without `numLigne` (renumbering lines when resending a file is not a change) nor a previous
 * `contentHash`. Two lines equal up to key order and numbering get the same hash.
 */
export const contentHash = (lineData: unknown): string => sha256Hex(canonicalJson(lineData, NOT_CONTENT));

/** sha256 (hex) of the file as received, recorded in the import report. */
export const fileSha256 = (buffer: Uint8Array): string => sha256Hex(buffer);
