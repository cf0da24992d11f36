import { type ImportError, childPath, importError } from './import-error';

/**
 * Limits applied to an import file before anything else reads it. A legitimate file of 100 000
 * lines (the largest a supplier has a reason to send) weighs around 50 MB and nests 4 levels deep,
 * so the defaults leave ample room while refusing payloads built to exhaust memory or the stack.
 * The HTTP body limit must be at least `maxBytes`.
 */
export interface JsonLimits {
  /** Size of the raw file in bytes. */
  maxBytes: number;
  /** Nesting of objects and arrays; the root object is depth 1. */
  maxDepth: number;
  /** Elements of any one array, `lignesImport` included. */
  maxArrayLength: number;
}

export const DEFAULT_JSON_LIMITS: Readonly<JsonLimits> = Object.freeze({
  maxBytes: 64 * 1024 * 1024,
  maxDepth: 32,
  maxArrayLength: 100_000,
});

/**
 * Keys refused anywhere in a file. JSON.parse itself stores `__proto__` as a plain own property,
 * but any later spread, Object.assign or class-transformer copy would treat it as the prototype
 * setter; no field of ours has these names, so they are refused (CHAMP_INCONNU) rather than dropped,
 * so the supplier learns its file is wrong.
 */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

export type JsonParseResult = { ok: true; value: unknown } | { ok: false; errors: ImportError[] };

const refuse = (code: ImportError['code'], message: string, path = ''): JsonParseResult => ({
  ok: false,
  errors: [importError(path, code, message)],
});

// Depth is measured on the text before JSON.parse builds anything, so a file of a million '['
// costs one linear scan instead of a parse and a deep walk.
const maxDepthOf = (text: string, limit: number): { exceeded: boolean; offset: number } => {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > limit) return { exceeded: true, offset: i };
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return { exceeded: false, offset: -1 };
};

const lineAndColumn = (text: string, offset: number): string => {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  return `ligne ${line}, colonne ${offset - lineStart + 1}`;
};

// V8's SyntaxError text is English and changes between Node versions; only the position is kept.
const syntaxMessage = (text: string, error: unknown): string => {
  const raw = error instanceof Error ? error.message : '';
  const match = /position (\d+)/.exec(raw)?.[1];
  const position = match === undefined ? null : Number(match);
  // An error at the very end means the text stopped before the JSON did.
  if (/end of (JSON )?input/i.test(raw) || (position !== null && position >= text.trimEnd().length)) {
    return 'JSON invalide : le fichier est tronqué';
  }
  if (position !== null) return `JSON invalide : erreur de syntaxe (${lineAndColumn(text, position)})`;
  return 'JSON invalide : erreur de syntaxe';
};

/** A node still to visit; its path is spelled out only if an error names it. */
interface Pending {
  value: unknown;
  parent: Pending | null;
  key: string | number;
}

const pathOf = (node: Pending, rootPath: string): string => {
  const keys: Array<string | number> = [];
  for (let n: Pending | null = node; n !== null && n.parent !== null; n = n.parent) keys.push(n.key);
  let path = rootPath;
  for (let i = keys.length - 1; i >= 0; i--) path = childPath(path, keys[i] as string | number);
  return path;
};

/**
 * Forbidden keys and oversized arrays, walked without recursion so depth cannot hurt the stack.
 * Every node of a file is visited (a 10,000-line file has ~150,000), so paths are built only for
 * the nodes an error names.
 */
const inspect = (root: unknown, maxArrayLength: number, rootPath = ''): ImportError[] => {
  const errors: ImportError[] = [];
  const stack: Pending[] = [{ value: root, parent: null, key: '' }];
  while (stack.length > 0) {
    const node = stack.pop() as Pending;
    const value = node.value;
    if (Array.isArray(value)) {
      if (value.length > maxArrayLength) {
        errors.push(
          importError(
            pathOf(node, rootPath),
            'LIMITE_DEPASSEE',
            `liste trop longue : ${value.length} éléments pour ${maxArrayLength} au plus`,
          ),
        );
        continue;
      }
      for (let i = value.length - 1; i >= 0; i--) {
        const v: unknown = value[i];
        // Leaves need no visit: only arrays and objects can hold an error.
        if (typeof v === 'object' && v !== null) stack.push({ value: v, parent: node, key: i });
      }
    } else if (typeof value === 'object' && value !== null) {
      const keys = Object.keys(value);
      for (let i = keys.length - 1; i >= 0; i--) {
        const key = keys[i] as string;
        const v = (value as Record<string, unknown>)[key];
        if (FORBIDDEN_KEYS.has(key)) {
          errors.push(
            importError(childPath(pathOf(node, rootPath), key), 'CHAMP_INCONNU', `champ inconnu : ${key}`),
          );
        } else if (typeof v === 'object' && v !== null) stack.push({ value: v, parent: node, key });
      }
    }
  }
  return errors;
};

/** Forbidden keys anywhere under `value`, with their paths below `path`. */
export const findForbiddenKeys = (value: unknown, path = ''): ImportError[] =>
  inspect(value, Number.POSITIVE_INFINITY, path);

/**
 * Reads an uploaded import file: size, strict UTF-8, depth, JSON syntax, array lengths and
 * forbidden keys, in that order (cheapest and most fundamental first). Errors are French.
 */
export const parseJsonSafely = (buffer: Uint8Array, limits: Partial<JsonLimits> = {}): JsonParseResult => {
  const l: JsonLimits = { ...DEFAULT_JSON_LIMITS, ...limits };
  if (buffer.byteLength > l.maxBytes) {
    return refuse(
      'LIMITE_DEPASSEE',
      `fichier trop volumineux : ${buffer.byteLength} octets pour ${l.maxBytes} au plus`,
    );
  }
  let text: string;
  try {
    // A leading BOM is tolerated (and removed): some Windows editors add it.
    text = new TextDecoder('utf-8', { fatal: true }).decode(buffer);
  } catch {
    return refuse('ENCODAGE_INVALIDE', "le fichier n'est pas encodé en UTF-8");
  }
  if (text.trim() === '') return refuse('JSON_INVALIDE', 'JSON invalide : le fichier est vide');
  const depth = maxDepthOf(text, l.maxDepth);
  if (depth.exceeded) {
    return refuse(
      'LIMITE_DEPASSEE',
      `JSON trop imbriqué : plus de ${l.maxDepth} niveaux (${lineAndColumn(text, depth.offset)})`,
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return refuse('JSON_INVALIDE', syntaxMessage(text, e));
  }
  const errors = inspect(value, l.maxArrayLength);
  return errors.length > 0 ? { ok: false, errors } : { ok: true, value };
};
