import { plainToInstance } from 'class-transformer';
import { type ValidatorOptions, validateSync } from 'class-validator';
import {
  type ImportAvance,
  type ImportSolde,
  type NumeroAns,
  type ScenariosEffectivementInstalles,
  type Siret,
  numeroAnsCouloir,
  numeroAspCouloir,
  numeroAspVersion,
  parseDateFr,
  parseMontant,
  parseNumeroAns,
  parseNumeroAsp,
  parseSiret,
} from '@segur/domain';
import { type ImportError, childPath, importError } from './import-error';
import type { ImportKind } from './import-report';
import { FORBIDDEN_KEYS, findForbiddenKeys } from './parse-json-safely';
import { toImportErrors } from './validation-errors';
import { contentHash } from './content-hash';
import { passesLineGate } from './fast-line-check';
import { ImportHeaderDto } from './dto/import-header.dto';
import { AvanceLineDto } from './dto/avance-file.dto';
import { SoldeLineDto } from './dto/solde-file.dto';
import type { ImportLineDto } from './dto/import-line.dto';

/** What a valid avance line gives; the application adds numeroAsp, importId and the stored pieces. */
export type AvanceLineData = Omit<ImportAvance['data'], 'numeroAsp' | 'importId' | 'pieces'>;
/** What a valid solde line gives; the application adds importId and the stored pieces. */
export type SoldeLineData = Omit<ImportSolde['data'], 'importId' | 'pieces'>;

export interface DeclaredPiece {
  type: string;
  nomFichier: string;
}

export interface ImportHeader {
  siret: Siret;
  numeroAns: NumeroAns;
  /** From the numéro ANS (`pbrSAS0012` → `SAS`). */
  couloir: string;
  impId: string | number | null;
}

interface LineBase {
  /** Position in `lignesImport`, from 0. */
  index: number;
  /** The solde's quoted numéro ASP when it is well formed; always null for an avance. */
  numeroASP: string | null;
}

export interface ValidLine<D> extends LineBase {
  ok: true;
  numLigne: number;
  data: D;
  declaredPieces: DeclaredPiece[];
  contentHash: string;
}

export interface InvalidLine extends LineBase {
  ok: false;
  /** Null when the line's numLigne is missing or not a positive integer. */
  numLigne: number | null;
  errors: ImportError[];
}

export type LineResult<D> = ValidLine<D> | InvalidLine;

export type ImportFileValidation<D> =
  | { ok: false; errors: ImportError[] }
  | { ok: true; kind: ImportKind; header: ImportHeader; lines: LineResult<D>[] };

// whitelist + forbidNonWhitelisted: an unknown field is an error (rule 1), never silently dropped.
// stopAtFirstError keeps one error per field (a missing field is not also "not a string"), while
// every field of the line is still checked.
const VALIDATOR_OPTIONS: ValidatorOptions = {
  whitelist: true,
  forbidNonWhitelisted: true,
  forbidUnknownValues: true,
  stopAtFirstError: true,
  validationError: { target: false, value: true },
};

/** Lines are at most 3 levels deep; below 8 nothing can be valid, so the copy stops there. */
const COPY_DEPTH = 8;

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

// class-transformer assigns properties one by one, so an own `__proto__` key would reach the
// prototype setter; the copy drops forbidden keys (already reported) and bounds the recursion.
const safeCopy = (value: unknown, depth = 0): unknown => {
  if (typeof value !== 'object' || value === null) return value;
  if (depth >= COPY_DEPTH) return null;
  if (Array.isArray(value)) return value.map((v) => safeCopy(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (!FORBIDDEN_KEYS.has(k)) out[k] = safeCopy(v, depth + 1);
  return out;
};

const unwrap = <T>(r: { ok: true; value: T } | { ok: false }): T => {
  // Only called on values class-validator already accepted with the same parser.
  if (!r.ok) throw new Error('valeur validée devenue invalide');
  return r.value;
};

const validateHeader = (
  body: unknown,
): { ok: true; header: ImportHeader; lines: unknown[] } | { ok: false; errors: ImportError[] } => {
  if (!isPlainObject(body)) {
    return {
      ok: false,
      errors: [
        importError(
          '',
          'CHAMP_INVALIDE',
          'le fichier doit être un objet JSON { numeroAns, siret, lignesImport }',
        ),
      ],
    };
  }
  const errors: ImportError[] = [];
  const copy = new ImportHeaderDto();
  for (const [k, v] of Object.entries(body)) {
    if (FORBIDDEN_KEYS.has(k)) errors.push(importError(k, 'CHAMP_INCONNU', `champ inconnu : ${k}`));
    // Shallow on purpose: the lines are validated one by one below, not copied here.
    else (copy as unknown as Record<string, unknown>)[k] = v;
  }
  errors.push(...toImportErrors(validateSync(copy, VALIDATOR_OPTIONS), ''));
  if (errors.length > 0) return { ok: false, errors };
  const numeroAns = unwrap(parseNumeroAns(copy.numeroAns));
  return {
    ok: true,
    header: {
      siret: unwrap(parseSiret(copy.siret)),
      numeroAns,
      couloir: numeroAnsCouloir(numeroAns),
      impId: copy.impId ?? null,
    },
    lines: copy.lignesImport,
  };
};

// Keys in code-unit order here and below: the content hash then takes canonicalJson's native path.
const declaredPiecesOf = (dto: ImportLineDto): DeclaredPiece[] =>
  (dto.piecesJustificatives ?? []).map((p) => ({ nomFichier: p.nomFichier, type: p.type }));

/** Checks that involve more than one field, run only on fields that passed their own checks. */
const crossFieldErrors = (
  kind: ImportKind,
  dto: ImportLineDto,
  header: ImportHeader,
  path: string,
  invalid: ReadonlySet<string>,
): ImportError[] => {
  const errors: ImportError[] = [];
  const seen = new Set<string>();
  (invalid.has('piecesJustificatives') ? [] : (dto.piecesJustificatives ?? [])).forEach((p, i) => {
    const name = typeof p.nomFichier === 'string' ? p.nomFichier.toLowerCase() : '';
    if (name === '') return;
    if (seen.has(name)) {
      errors.push(
        importError(
          childPath(childPath(childPath(path, 'piecesJustificatives'), i), 'nomFichier'),
          'CHAMP_INVALIDE',
          `le fichier ${p.nomFichier} est déclaré deux fois dans la ligne`,
        ),
      );
    }
    seen.add(name);
  });
  if (kind === 'solde') {
    const solde = dto as SoldeLineDto;
    if (!invalid.has('numeroASP')) {
      const numeroAsp = unwrap(parseNumeroAsp(solde.numeroASP));
      const couloir = numeroAspCouloir(numeroAsp);
      if (numeroAspVersion(numeroAsp) !== 0) {
        errors.push(
          importError(
            childPath(path, 'numeroASP'),
            'NUMERO_ASP_INVALIDE',
            `numéro ASP invalide (${solde.numeroASP}) : le numéro de la demande d'avance est attendu, sans suffixe de version`,
          ),
        );
      } else if (couloir !== header.couloir) {
        errors.push(
          importError(
            childPath(path, 'numeroASP'),
            'NUMERO_ASP_INVALIDE',
            `numéro ASP invalide (${solde.numeroASP}) : couloir ${couloir}, alors que le numéro ANS ${header.numeroAns} est du couloir ${header.couloir}`,
          ),
        );
      }
    }
    if (
      !invalid.has('beneficiaire') &&
      !invalid.has('beneficiaireHistorique') &&
      typeof solde.beneficiaireHistorique === 'string' &&
      solde.beneficiaireHistorique === solde.beneficiaire
    ) {
      errors.push(
        importError(
          childPath(path, 'beneficiaireHistorique'),
          'CHAMP_INVALIDE',
          "le bénéficiaire historique doit être l'ancien FINESS du site, différent du bénéficiaire",
        ),
      );
    }
  }
  return errors;
};

const scenariosOf = (
  s: SoldeLineDto['scenariosEffectivementInstalles'],
): ScenariosEffectivementInstalles | null => {
  if (s === undefined || s === null) return null;
  const out: ScenariosEffectivementInstalles = {};
  if (s.certificatDMP !== undefined) out.certificatDMP = s.certificatDMP;
  if (s.certificatINSi !== undefined) out.certificatINSi = s.certificatINSi;
  if (s.hasBALMSSantePersonnelle !== undefined) out.hasBALMSSantePersonnelle = s.hasBALMSSantePersonnelle;
  if (s.operateurMessagerie !== undefined) out.operateurMessagerie = s.operateurMessagerie;
  return out;
};

type SoldeData = SoldeLineData;

// The data objects are built with an empty contentHash, set once the hash of the rest is known:
// one object per line instead of a copy with the hash added.
const avanceData = (dto: AvanceLineDto, header: ImportHeader): AvanceLineData => ({
  couloir: header.couloir,
  numeroAns: header.numeroAns,
  siret: header.siret,
  numLigne: dto.numLigne,
  numeroEditeur: dto.numeroEditeur,
  bonDeCommande: {
    dateBonDeCommande: unwrap(parseDateFr(dto.bonDeCommande.dateBonDeCommande)),
    montantCents: unwrap(parseMontant(dto.bonDeCommande.montantSegurHTBonDeCommande)),
  },
  beneficiaire: dto.beneficiaire,
  contactSupport: dto.contactSupport,
  contentHash: '',
});

const soldeData = (dto: SoldeLineDto, header: ImportHeader): SoldeLineData => ({
  numeroAsp: dto.numeroASP,
  siret: header.siret,
  numeroAns: header.numeroAns,
  numLigne: dto.numLigne,
  numeroEditeur: dto.numeroEditeur,
  facture: {
    dateFacture: unwrap(parseDateFr(dto.facture.dateFacture)),
    montantCents: unwrap(parseMontant(dto.facture.montantSegurHTFacture)),
  },
  beneficiaire: dto.beneficiaire,
  beneficiaireHistorique: dto.beneficiaireHistorique ?? null,
  contactSupport: dto.contactSupport ?? null,
  scenariosEffectivementInstalles: scenariosOf(dto.scenariosEffectivementInstalles),
  contentHash: '',
});

/**
 * What a solde line's contentHash covers, its keys inserted in code-unit order (as every nested
 * object already is): canonicalJson then skips its sorted copy of every line. The text, and so the
 * hash, is canonicalJson's whatever the order here; numLigne and contentHash are left out by it.
 */
const soldeHashInput = (d: SoldeData, declaredPieces: DeclaredPiece[]): Record<string, unknown> => ({
  beneficiaire: d.beneficiaire,
  beneficiaireHistorique: d.beneficiaireHistorique,
  contactSupport: d.contactSupport,
  declaredPieces,
  facture: d.facture,
  numeroAns: d.numeroAns,
  numeroAsp: d.numeroAsp,
  numeroEditeur: d.numeroEditeur,
  scenariosEffectivementInstalles: d.scenariosEffectivementInstalles,
  siret: d.siret,
});

const positiveInteger = (v: unknown): number | null =>
  typeof v === 'number' && Number.isSafeInteger(v) && v > 0 ? v : null;

/** No field failed its own checks: what crossFieldErrors gets for a line the gate accepted. */
const NONE_INVALID: ReadonlySet<string> = new Set();

const validateLine = (
  kind: ImportKind,
  raw: unknown,
  index: number,
  header: ImportHeader,
): LineResult<AvanceLineData | SoldeLineData> => {
  const path = childPath('lignesImport', index);
  if (!isPlainObject(raw)) {
    return {
      index,
      numeroASP: null,
      ok: false,
      numLigne: null,
      errors: [importError(path, 'CHAMP_INVALIDE', 'ligne : objet attendu')],
    };
  }
  const rawNumeroAsp =
    kind === 'solde' && parseNumeroAsp(raw.numeroASP).ok ? (raw.numeroASP as string) : null;
  let dto: ImportLineDto;
  let errors: ImportError[];
  // The gate's schemas close every object (additionalProperties: false) and name no forbidden key,
  // so a line it accepts has none and has exactly the DTO's shape and values: the per-node walk and
  // class-validator are only paid by the lines it refuses.
  if (passesLineGate(kind, raw)) {
    dto = raw as unknown as ImportLineDto;
    errors = crossFieldErrors(kind, dto, header, path, NONE_INVALID);
  } else {
    const forbidden = findForbiddenKeys(raw, path);
    dto = plainToInstance<ImportLineDto, unknown>(
      kind === 'avance' ? AvanceLineDto : SoldeLineDto,
      safeCopy(raw),
    );
    const validation = validateSync(dto, VALIDATOR_OPTIONS);
    const invalid = new Set(validation.map((e) => e.property));
    errors = [
      ...forbidden,
      ...toImportErrors(validation, path),
      ...crossFieldErrors(kind, dto, header, path, invalid),
    ];
  }
  if (errors.length > 0)
    return { index, numeroASP: rawNumeroAsp, ok: false, numLigne: positiveInteger(raw.numLigne), errors };
  const declaredPieces = declaredPiecesOf(dto);
  const data =
    kind === 'avance' ? avanceData(dto as AvanceLineDto, header) : soldeData(dto as SoldeLineDto, header);
  const hash = contentHash(
    kind === 'avance' ? { ...data, declaredPieces } : soldeHashInput(data as SoldeData, declaredPieces),
  );
  data.contentHash = hash;
  return {
    index,
    numeroASP: rawNumeroAsp,
    ok: true,
    numLigne: dto.numLigne,
    data,
    declaredPieces,
    contentHash: hash,
  };
};

// Two lines with one numLigne make the supplier's reference ambiguous: both are refused, so
// neither is applied under a number the supplier cannot tell apart.
const rejectDuplicateNumLigne = <D>(lines: LineResult<D>[]): LineResult<D>[] => {
  // Indexes are listed only for numbers seen twice: nearly every file has none.
  const firstIndex = new Map<number, number>();
  const byNumLigne = new Map<number, number[]>();
  for (const l of lines) {
    if (l.numLigne === null) continue;
    const first = firstIndex.get(l.numLigne);
    if (first === undefined) {
      firstIndex.set(l.numLigne, l.index);
      continue;
    }
    const indexes = byNumLigne.get(l.numLigne);
    if (indexes === undefined) byNumLigne.set(l.numLigne, [first, l.index]);
    else indexes.push(l.index);
  }
  if (byNumLigne.size === 0) return lines;
  return lines.map((l) => {
    const indexes = l.numLigne === null ? undefined : byNumLigne.get(l.numLigne);
    if (indexes === undefined || indexes.length < 2) return l;
    const error = importError(
      childPath(childPath('lignesImport', l.index), 'numLigne'),
      'CHAMP_INVALIDE',
      `numLigne ${l.numLigne} en double dans le fichier (lignesImport ${indexes.map((i) => `[${i}]`).join(', ')})`,
    );
    return l.ok
      ? { index: l.index, numeroASP: l.numeroASP, ok: false, numLigne: l.numLigne, errors: [error] }
      : { ...l, errors: [...l.errors, error] };
  });
};

/**
 * Validates a parsed avance or solde file (parse it with parseJsonSafely first). A bad header
 * refuses the whole file; otherwise every line gets its own verdict with every error found, and
 * valid lines come out as the command data the application completes (docs/api.md, import report).
 * Business rules needing the event store (avance paid, same SIRET, closing date…) are the domain's.
 */
export function validateImportFile(kind: 'avance', body: unknown): ImportFileValidation<AvanceLineData>;
export function validateImportFile(kind: 'solde', body: unknown): ImportFileValidation<SoldeLineData>;
export function validateImportFile(
  kind: ImportKind,
  body: unknown,
): ImportFileValidation<AvanceLineData | SoldeLineData>;
export function validateImportFile(
  kind: ImportKind,
  body: unknown,
): ImportFileValidation<AvanceLineData | SoldeLineData> {
  const head = validateHeader(body);
  if (!head.ok) return head;
  const lines = head.lines.map((raw, index) => validateLine(kind, raw, index, head.header));
  return { ok: true, kind, header: head.header, lines: rejectDuplicateNumLigne(lines) };
}
