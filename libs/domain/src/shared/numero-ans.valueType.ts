import { type DossierError, type Result, dossierError, fail, ok } from '../dossier/dossier.errors';
import { showInput } from './input-display';

/**
 * Supplier's referencing number at the ANS: 3 lowercase letters, the couloir (3 capitals), digits,
 * e.g. `pbrSAS0012`, `zbuPHA0005`. The couloir of every dossier the supplier imports comes from it.
 */
export type NumeroAns = string & { readonly __brand: 'NumeroAns' };

// The seeds only show 4 digits; up to 10 are accepted so a longer ANS series does not need a release,
// while a bound keeps absurd values out.
// IMP-4: 3 lower-case letters + couloir + 1 to 10 digits.
const NUMERO_ANS = /^[a-z]{3}([A-Z]{3})\d{1,10}$/;

export const isValidNumeroAns = (s: string): boolean => NUMERO_ANS.test(s);

export const parseNumeroAns = (input: unknown, path?: string): Result<NumeroAns, DossierError> => {
  if (typeof input === 'string' && NUMERO_ANS.test(input)) return ok(input as NumeroAns);
  return fail(
    dossierError(
      'CHAMP_INVALIDE',
      `numéro ANS invalide (${showInput(input)}) : format attendu 3 minuscules + code couloir (3 majuscules) + chiffres, ex. pbrSAS0012`,
      path,
    ),
  );
};

/** `pbrSAS0012` → `SAS`. */
export const numeroAnsCouloir = (n: NumeroAns): string => NUMERO_ANS.exec(n)?.[1] as string;
