import type { ValidationError } from 'class-validator';
import type { DossierErrorCode } from '@segur/domain';
import { type ImportError, childPath, importError } from './import-error';
import type { ConstraintContext } from './dto/value-object.validators';

// Constraints class-validator raises on its own, with English messages we never pass on.
const BUILT_IN: Readonly<Record<string, { code: DossierErrorCode; message: (property: string) => string }>> =
  {
    whitelistValidation: { code: 'CHAMP_INCONNU', message: (p) => `champ inconnu : ${p}` },
    nestedValidation: { code: 'CHAMP_INVALIDE', message: () => 'objet attendu' },
    unknownValue: { code: 'CHAMP_INVALIDE', message: () => 'objet attendu' },
  };

const isCode = (context: unknown): context is ConstraintContext =>
  typeof context === 'object' && context !== null && typeof (context as { code?: unknown }).code === 'string';

/**
 * class-validator's error tree → flat list of `{path, code, message}`, every error kept. Paths
 * follow the file (`lignesImport[3].piecesJustificatives[0].nomFichier`); codes come from the
 * constraint context our decorators set; a constraint without one (which a new decorator might
 * forget) falls back to CHAMP_INVALIDE with a French message rather than leaking English.
 */
export const toImportErrors = (
  errors: readonly ValidationError[],
  basePath: string,
  parent?: unknown,
): ImportError[] => {
  const out: ImportError[] = [];
  for (const e of errors) {
    const key = Array.isArray(parent) && /^\d+$/.test(e.property) ? Number(e.property) : e.property;
    const path = childPath(basePath, key);
    for (const [name, message] of Object.entries(e.constraints ?? {})) {
      const builtIn = BUILT_IN[name];
      const context: unknown = e.contexts?.[name];
      if (builtIn !== undefined) out.push(importError(path, builtIn.code, builtIn.message(e.property)));
      else if (isCode(context)) out.push(importError(path, context.code, message));
      else out.push(importError(path, 'CHAMP_INVALIDE', 'valeur invalide'));
    }
    if (e.children !== undefined && e.children.length > 0)
      out.push(...toImportErrors(e.children, path, e.value));
  }
  return out;
};
