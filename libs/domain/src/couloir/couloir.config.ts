import { type Result, ok, fail } from '../dossier/dossier.errors';

// A couloir's rules are configuration (COULOIRS_FILE), not code: a new lane or a moved closing
// date must not need a release.
export interface CouloirConfig {
  /** Last day (Europe/Paris, `yyyy-MM-dd`) on which a solde may be imported. */
  clotureSolde: string;
  dsr: string;
  champsEditables: string[];
  typesPieces: string[];
  piecesObligatoiresSolde: string[];
}

export type CouloirsConfig = Readonly<Record<string, CouloirConfig>>;

const PIECES = [
  'VA',
  'FACTURE',
  'AUTRE_S',
  'MSS_RESU_TEST_TECH',
  'MSS_GUIDE_PDF_API',
  'decision_attribution',
];

export const DEFAULT_COULOIRS: CouloirsConfig = {
  SAS: {
    clotureSolde: '2030-12-31',
    dsr: 'DSR-SAS-SAS-Va1',
    champsEditables: ['contactSupport'],
    typesPieces: PIECES,
    piecesObligatoiresSolde: ['VA', 'FACTURE'],
  },
  PHA: {
    clotureSolde: '2030-12-31',
    dsr: 'DSR-PHA-LGO-Va1',
    champsEditables: ['contactSupport'],
    typesPieces: PIECES,
    piecesObligatoiresSolde: ['VA', 'FACTURE'],
  },
  MSS: {
    clotureSolde: '2030-12-31',
    dsr: 'DSR-MSS-MSS-Va1',
    champsEditables: ['contactSupport'],
    typesPieces: PIECES,
    piecesObligatoiresSolde: ['VA', 'FACTURE'],
  },
};

/**
 * Fields the engine knows how to edit in a modification draft; a nested field by its dotted path
 * (edited as `{ scenariosEffectivementInstalles: { certificatDMP: "…" } }`).
 */
export const EDITABLE_FIELDS_KNOWN = [
  'contactSupport',
  'scenariosEffectivementInstalles.operateurMessagerie',
  'scenariosEffectivementInstalles.certificatDMP',
  'scenariosEffectivementInstalles.certificatINSi',
] as const;

const isDate = (s: unknown): s is string => {
  if (typeof s !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(s);
};
const isStringArray = (v: unknown): v is string[] =>
  Array.isArray(v) && v.every((x) => typeof x === 'string' && x.length > 0);

/** Validates a parsed COULOIRS_FILE; every problem is listed, in French. */
// COU-1: the whole COULOIRS_FILE is checked at start, every problem listed.
export const parseCouloirsConfig = (input: unknown): Result<CouloirsConfig, string[]> => {
  const errors: string[] = [];
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return fail(['la configuration des couloirs doit être un objet JSON { "SAS": {...} }']);
  }
  const out: Record<string, CouloirConfig> = {};
  for (const [code, raw] of Object.entries(input as Record<string, unknown>)) {
    if (!/^[A-Z]{3}$/.test(code)) errors.push(`${code} : code de couloir attendu sur 3 majuscules`);
    if (typeof raw !== 'object' || raw === null) {
      errors.push(`${code} : objet attendu`);
      continue;
    }
    const c = raw as Record<string, unknown>;
    if (!isDate(c.clotureSolde)) errors.push(`${code}.clotureSolde : date yyyy-MM-dd attendue`);
    if (typeof c.dsr !== 'string' || c.dsr === '') errors.push(`${code}.dsr : texte attendu`);
    if (!isStringArray(c.champsEditables)) errors.push(`${code}.champsEditables : liste de champs attendue`);
    else
      for (const f of c.champsEditables)
        if (!(EDITABLE_FIELDS_KNOWN as readonly string[]).includes(f))
          errors.push(`${code}.champsEditables : champ inconnu ${f}`);
    if (!isStringArray(c.typesPieces)) errors.push(`${code}.typesPieces : liste de types attendue`);
    if (!isStringArray(c.piecesObligatoiresSolde))
      errors.push(`${code}.piecesObligatoiresSolde : liste de types attendue`);
    else if (isStringArray(c.typesPieces))
      for (const t of c.piecesObligatoiresSolde)
        if (!c.typesPieces.includes(t))
          errors.push(`${code}.piecesObligatoiresSolde : ${t} absent de typesPieces`);
    const unknown = Object.keys(c).filter(
      (k) =>
        !['clotureSolde', 'dsr', 'champsEditables', 'typesPieces', 'piecesObligatoiresSolde'].includes(k),
    );
    for (const k of unknown) errors.push(`${code}.${k} : propriété inconnue`);
    out[code] = c as unknown as CouloirConfig;
  }
  if (Object.keys(out).length === 0) errors.push('aucun couloir configuré');
  return errors.length > 0 ? fail(errors) : ok(out);
};

/** Couloir code of a numéro ANS (`pbrSAS0012` → `SAS`) or of a numéro ASP (`FINSAS008539` → `SAS`). */
export const couloirOfNumeroAns = (numeroAns: string): string | null =>
  /^[a-z]{3}([A-Z]{3})\d+$/.exec(numeroAns)?.[1] ?? null;
export const couloirOfNumeroAsp = (numeroAsp: string): string | null =>
  /^FIN([A-Z]{3})\d{6}(M\d+)?$/.exec(numeroAsp)?.[1] ?? null;
