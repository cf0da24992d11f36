import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import fc from 'fast-check';
import { contentHash } from './content-hash';
import { AvanceLineDto } from './dto/avance-file.dto';
import { SoldeLineDto } from './dto/solde-file.dto';
import { passesLineGate } from './fast-line-check';
import type { ImportError } from './import-error';
import { parseJsonSafely } from './parse-json-safely';
import { avanceSeed, soldeWithPieces } from './testing/seed-import-files';
import { validateImportFile } from './validate-import-file';

// Bounded runs so `npm test` stays fast; a failure prints the seed and the shrunk input.
const RUNS = 200;
type Line = Record<string, unknown>;

const dtoAccepts = (kind: 'avance' | 'solde', line: unknown): boolean => {
  const dto: object =
    kind === 'avance'
      ? plainToInstance(AvanceLineDto, line as object)
      : plainToInstance(SoldeLineDto, line as object);
  return (
    validateSync(dto, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true }).length === 0
  );
};

// Values a supplier's software might put anywhere, valid ones included so that the gate's fast
// path is exercised, not only its refusals.
const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    null,
    0,
    1,
    -1,
    1.5,
    1e21,
    '',
    ' ',
    'x',
    '620006494',
    '620006495',
    '123456789',
    '10/01/2023',
    '31/02/2023',
    'a@b.fr',
  ),
  fc.constantFrom('https://a.fr', 'FINSAS008539', 'FINSAS008539M1', 1000.5, '1000,50', true, [], {}),
  fc.string({ maxLength: 12 }),
  fc.integer(),
  fc.double(),
  fc.array(
    fc.record({ type: fc.constantFrom('VA', 'FACTURE', ''), nomFichier: fc.constantFrom('a.pdf', 'a.docx') }),
    {
      maxLength: 2,
    },
  ),
);

// Well-formed but wrong: what only the DTO's finer checks (Luhn, calendar, cents) refuse.
const nearlyValid: fc.Arbitrary<unknown> = fc.constantFrom(
  '620006495',
  '123456789',
  '31/02/2023',
  '29/02/2023',
  1000.001,
  'FINSAS08539',
  'https://u:p@a.fr',
);

const lineChanges = (seed: Line): fc.Arbitrary<Array<[string, unknown]>> => {
  const paths = Object.entries(seed).flatMap(([k, v]) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? [k, ...Object.keys(v).map((c) => `${k}.${c}`)]
      : [k],
  );
  return fc.array(
    fc.tuple(
      fc.constantFrom(...paths, 'inconnu', 'bonDeCommande.x'),
      fc.oneof({ arbitrary: nearlyValid, weight: 3 }, anyValue, fc.constant(undefined)),
    ),
    {
      maxLength: 3,
    },
  );
};

const applyChanges = (seed: Line, changes: Array<[string, unknown]>): Line => {
  const line = structuredClone(seed);
  for (const [path, value] of changes) {
    const [head, child] = path.split('.') as [string, string | undefined];
    const target: Line | null =
      child === undefined
        ? line
        : typeof line[head] === 'object' && line[head] !== null
          ? (line[head] as Line)
          : null;
    if (target === null) continue;
    const key = child ?? head;
    if (value === undefined) delete target[key];
    else target[key] = value;
  }
  return line;
};

const ENGLISH = /\b(must|should|property|nested|each value|longer than|shorter than)\b/i;
const wellFormed = (e: ImportError): boolean =>
  typeof e.path === 'string' &&
  typeof e.code === 'string' &&
  (e.code as string) !== '' &&
  e.message !== '' &&
  !ENGLISH.test(e.message);

describe('import format properties (fast-check)', () => {
  it.each(['avance', 'solde'] as const)(
    'the fast line gate never passes a %s line the DTOs refuse',
    (kind) => {
      const seed = (kind === 'avance' ? avanceSeed() : soldeWithPieces()).lignesImport[0] as Line;
      let fastPath = 0;
      fc.assert(
        fc.property(lineChanges(seed), (changes) => {
          const line = applyChanges(seed, changes);
          const gate = passesLineGate(kind, line);
          if (gate) fastPath++;
          expect({ gate, dto: dtoAccepts(kind, line) }).not.toEqual({ gate: true, dto: false });
        }),
        { numRuns: RUNS },
      );
      // Unchanged and harmlessly changed lines take the fast path: the property is not vacuous.
      expect(fastPath).toBeGreaterThan(0);
    },
  );

  it('parseJsonSafely never throws on random bytes; every error has a path, a code and a French message', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 200 }),
          fc.json().map((j) => Buffer.from(j)),
        ),
        (bytes) => {
          const r = parseJsonSafely(bytes);
          if (!r.ok) expect(r.errors.filter((e) => !wellFormed(e))).toEqual([]);
          expect(typeof r.ok).toBe('boolean');
        },
      ),
      { numRuns: RUNS },
    );
  });

  it.each(['avance', 'solde'] as const)(
    'validateImportFile (%s) never throws on any JSON value; every error is well formed',
    (kind) => {
      const errorsOf = (body: unknown): ImportError[] => {
        const r = validateImportFile(kind as 'avance', body);
        return r.ok ? r.lines.flatMap((l) => (l.ok ? [] : l.errors)) : r.errors;
      };
      fc.assert(
        fc.property(
          fc.oneof(
            fc.jsonValue(),
            fc.record({
              siret: anyValue,
              numeroAns: anyValue,
              lignesImport: fc.array(fc.jsonValue(), { maxLength: 3 }),
            }),
          ),
          (body) => {
            expect(errorsOf(body).filter((e) => !wellFormed(e))).toEqual([]);
          },
        ),
        { numRuns: RUNS },
      );
    },
  );

  it('the content hash ignores key order, at every depth', () => {
    const shuffled = (value: unknown, order: number[]): unknown => {
      if (Array.isArray(value)) return value.map((v) => shuffled(v, order));
      if (value === null || typeof value !== 'object') return value;
      const entries = Object.entries(value);
      const keyed = entries.map((e, i) => ({ e, k: order[i % Math.max(order.length, 1)] ?? i }));
      keyed.sort((a, b) => a.k - b.k);
      return Object.fromEntries(keyed.map(({ e: [k, v] }) => [k, shuffled(v, order)]));
    };
    fc.assert(
      fc.property(fc.jsonValue(), fc.array(fc.nat(), { minLength: 1, maxLength: 8 }), (value, order) => {
        expect(contentHash(shuffled(value, order))).toBe(contentHash(value));
      }),
      { numRuns: RUNS },
    );
  });
});
