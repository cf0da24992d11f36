import {
  dossierError,
  fail,
  ok,
  type DossierError,
  type DossierErrorCode,
  type Result,
} from '../dossier/dossier.errors';
import { showInput } from './input-display';

/** An identifier made of a fixed number of digits and a check key (SIRET, FINESS). */
export interface KeyedDigits {
  code: DossierErrorCode;
  label: string;
  digits: number;
  /** The check key holds (the digits are already known to be there). */
  keyHolds: (digits: string) => boolean;
}

/** One parse for every keyed identifier: the count of digits, then the key, each with its message. */
export const parseKeyedDigits = <B extends string>(
  spec: KeyedDigits,
  input: unknown,
  path?: string,
): Result<B, DossierError> => {
  if (typeof input !== 'string' || input.length !== spec.digits || !/^\d+$/.test(input))
    return fail(
      dossierError(
        spec.code,
        `${spec.label} invalide (${showInput(input)}) : ${spec.digits} chiffres attendus`,
        path,
      ),
    );
  if (!spec.keyHolds(input))
    return fail(
      dossierError(
        spec.code,
        `${spec.label} invalide (${showInput(input)}) : clé de contrôle (Luhn) incorrecte`,
        path,
      ),
    );
  return ok(input as B);
};
