import { createHash } from 'node:crypto';
import { DEFAULT_JSON_LIMITS, parseJsonSafely, type ImportError } from '@segur/import-format';
import { Refusal } from '@segur/kernel';

/**
 * Documented limits of an import file. 100 000 lines is the largest file a supplier has a reason
 * to send (it weighs about 50 MB); a bigger one is refused whole (too large), before any line is read,
 * so memory stays bounded whatever the input.
 */
export const IMPORT_LIMITS = {
  maxLines: DEFAULT_JSON_LIMITS.maxArrayLength,
  maxDepth: DEFAULT_JSON_LIMITS.maxDepth,
} as const;

/** The file as the caller has it: raw bytes (multipart part, CLI) or a body express already parsed. */
export type ImportFileInput = { bytes: Uint8Array } | { parsed: unknown };

export interface ReadImportFile {
  value: unknown;
  fileSha256: string;
}

const refusalOf = (errors: ImportError[]): Refusal => {
  const first = errors[0];
  return new Refusal(
    first?.code === 'LIMITE_DEPASSEE' ? 'too-large' : 'invalid',
    first?.code ?? 'JSON_INVALIDE',
    first?.message ?? 'fichier illisible',
    errors.map((e) => ({ path: e.path, code: e.code, message: e.message })),
  );
};

// The global express JSON parser decodes invalid UTF-8 as U+FFFD instead of failing; a file that
// really contains U+FFFD has no business in an import either, so its presence means "not UTF-8".
const REPLACEMENT = '\uFFFD';

/**
 * Re-checks a body the global JSON parser built: depth, array lengths and encoding, walked without
 * recursion. Forbidden keys (`__proto__`…) are left to validateImportFile, which names them per line.
 */
const checkParsed = (root: unknown): ImportError[] => {
  const stack: Array<{ value: unknown; depth: number }> = [{ value: root, depth: 1 }];
  while (stack.length > 0) {
    const { value, depth } = stack.pop() as { value: unknown; depth: number };
    if (typeof value === 'string') {
      if (value.includes(REPLACEMENT))
        return [{ path: '', code: 'ENCODAGE_INVALIDE', message: "le fichier n'est pas encodé en UTF-8" }];
      continue;
    }
    if (typeof value !== 'object' || value === null) continue;
    if (depth > IMPORT_LIMITS.maxDepth)
      return [
        {
          path: '',
          code: 'LIMITE_DEPASSEE',
          message: `JSON trop imbriqué : plus de ${IMPORT_LIMITS.maxDepth} niveaux`,
        },
      ];
    if (Array.isArray(value)) {
      if (value.length > IMPORT_LIMITS.maxLines)
        return [
          {
            path: '',
            code: 'LIMITE_DEPASSEE',
            message: `liste trop longue : ${value.length} éléments pour ${IMPORT_LIMITS.maxLines} au plus`,
          },
        ];
      for (const v of value) stack.push({ value: v, depth: depth + 1 });
    } else {
      for (const [k, v] of Object.entries(value)) {
        if (k.includes(REPLACEMENT))
          return [{ path: '', code: 'ENCODAGE_INVALIDE', message: "le fichier n'est pas encodé en UTF-8" }];
        stack.push({ value: v, depth: depth + 1 });
      }
    }
  }
  return [];
};

/** Reads an import file or refuses it whole: too large beyond a limit, invalid when it is not UTF-8 JSON. */
export const readImportFile = (input: ImportFileInput, maxBytes: number): ReadImportFile => {
  if ('bytes' in input) {
    const parsed = parseJsonSafely(input.bytes, { maxBytes });
    const fileSha256 = createHash('sha256').update(input.bytes).digest('hex');
    if (parsed.ok) return { value: parsed.value, fileSha256 };
    // Forbidden keys alone do not refuse the file: the per-line validation reports them where
    // they are, exactly as for a JSON body. JSON.parse stores them as plain own properties.
    if (parsed.errors.every((e) => e.code === 'CHAMP_INCONNU')) {
      return { value: JSON.parse(Buffer.from(input.bytes).toString('utf8')) as unknown, fileSha256 };
    }
    throw refusalOf(parsed.errors);
  }
  const errors = checkParsed(input.parsed);
  if (errors.length > 0) throw refusalOf(errors);
  // No raw bytes behind a parsed body: its sha256 is that of its compact JSON form.
  const fileSha256 = createHash('sha256')
    .update(JSON.stringify(input.parsed) ?? '')
    .digest('hex');
  return { value: input.parsed, fileSha256 };
};
