import Ajv2020 from 'ajv/dist/2020';
import type { ValidateFunction } from 'ajv';
import { isContactSupport, parseDateFr, parseFiness, parseMontant, parseNumeroAsp } from '@segur/domain';
import { avanceSchema, soldeSchema } from './schemas';
import { isPdfFileName } from './dto/value-object.validators';
import type { ImportKind } from './import-report';

// class-validator is slow per line (metadata lookups on every call): a large file would block the
// event loop for a long time (see docs/performance.md, "Figures behind design choices"). Nearly
// every line is valid, so a valid line is recognised by the compiled published schema plus the
// value objects' own checks (the rules the schema cannot say), and only a line that fails this gate
// goes through class-validator, which stays the reference for what is wrong. The gate must never
// accept what the DTOs refuse: fast-line-check.spec.ts compares both on a corpus of good and bad
// lines.

// `unicode: false` makes maxLength count UTF-16 units like class-validator's Length does (ajv
// flags the option as deprecated but honours it; its logger is off so tests and logs stay quiet,
// and the schemas themselves are checked with a default instance in schemas.spec.ts).
const ajv = new Ajv2020({ allErrors: false, unicode: false, allowUnionTypes: true, logger: false });
ajv.addSchema(avanceSchema, 'avance');
ajv.addSchema(soldeSchema, 'solde');

const lineSchemas: Record<ImportKind, ValidateFunction> = {
  avance: ajv.getSchema('avance#/$defs/ligneAvance') as ValidateFunction,
  solde: ajv.getSchema('solde#/$defs/ligneSolde') as ValidateFunction,
};

type Line = Record<string, unknown> & {
  beneficiaire: string;
  contactSupport?: string | null;
  piecesJustificatives?: Array<{ nomFichier: string }>;
};

const piecesOk = (line: Line): boolean =>
  (line.piecesJustificatives ?? []).every((p) => isPdfFileName(p.nomFichier));

const avanceOk = (line: Line): boolean => {
  const bon = line.bonDeCommande as { dateBonDeCommande: string; montantSegurHTBonDeCommande: unknown };
  return (
    parseDateFr(bon.dateBonDeCommande).ok &&
    parseMontant(bon.montantSegurHTBonDeCommande).ok &&
    isContactSupport(line.contactSupport)
  );
};

const soldeOk = (line: Line): boolean => {
  const facture = line.facture as { dateFacture: string; montantSegurHTFacture: unknown };
  const historique = line.beneficiaireHistorique;
  return (
    parseNumeroAsp(line.numeroASP).ok &&
    parseDateFr(facture.dateFacture).ok &&
    parseMontant(facture.montantSegurHTFacture).ok &&
    (historique === undefined || historique === null || parseFiness(historique).ok) &&
    (line.contactSupport === undefined ||
      line.contactSupport === null ||
      isContactSupport(line.contactSupport))
  );
};

/** True only when the line certainly passes the DTO validation; false means "ask class-validator". */
export const passesLineGate = (kind: ImportKind, raw: unknown): boolean => {
  if (!lineSchemas[kind](raw)) return false;
  const line = raw as Line;
  if (!parseFiness(line.beneficiaire).ok || !piecesOk(line)) return false;
  return kind === 'avance' ? avanceOk(line) : soldeOk(line);
};
