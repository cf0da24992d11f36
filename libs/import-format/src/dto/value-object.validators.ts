// Decorator metadata (emitDecoratorMetadata) needs the Reflect API; every DTO imports this file.
import 'reflect-metadata';
import {
  type ValidationArguments,
  type ValidationOptions,
  type ValidatorConstraintInterface,
  registerDecorator,
} from 'class-validator';
import {
  type DossierError,
  type DossierErrorCode,
  type Result,
  isContactSupport,
  parseDateFr,
  parseFiness,
  parseMontant,
  parseNumeroAns,
  parseNumeroAsp,
  parseSiret,
} from '@segur/domain';

// The DTOs delegate every format rule to the domain's value objects, so a SIRET accepted at the
// edge is exactly a SIRET the decider accepts, and the French message is the value object's own.
// The stable code travels in the constraint's context; toImportErrors reads it back.

export interface ConstraintContext {
  code: DossierErrorCode;
}

type Parser = (input: unknown) => Result<unknown, DossierError>;

/** A class-validator decorator whose failures carry `code` (the stable code of the report). */
const decorator =
  (name: string, code: DossierErrorCode, validator: ValidatorConstraintInterface, message?: string) =>
  (options: ValidationOptions = {}): PropertyDecorator =>
  (target, propertyKey) =>
    registerDecorator({
      name,
      target: target.constructor,
      propertyName: String(propertyKey),
      options: { ...(message ? { message } : {}), ...options, context: { code } satisfies ConstraintContext },
      validator,
    });

const fromParser = (name: string, code: DossierErrorCode, parse: Parser) =>
  decorator(name, code, {
    validate: (value: unknown) => parse(value).ok,
    defaultMessage: (args?: ValidationArguments) => {
      const r = parse(args?.value);
      return r.ok ? 'valeur invalide' : r.error.message;
    },
  });

const predicate = (
  name: string,
  code: DossierErrorCode,
  test: (value: unknown) => boolean,
  message: string,
) => decorator(name, code, { validate: test }, message);

export const IsSiret = fromParser('isSiret', 'SIRET_INVALIDE', parseSiret);
export const IsFiness = fromParser('isFiness', 'FINESS_INVALIDE', parseFiness);
export const IsNumeroAsp = fromParser('isNumeroAsp', 'NUMERO_ASP_INVALIDE', parseNumeroAsp);
export const IsNumeroAns = fromParser('isNumeroAns', 'CHAMP_INVALIDE', parseNumeroAns);
export const IsDateFr = fromParser('isDateFr', 'DATE_INVALIDE', parseDateFr);
export const IsMontant = fromParser('isMontant', 'MONTANT_INVALIDE', parseMontant);

export const IsContactSupport = predicate(
  'isContactSupport',
  'CHAMP_INVALIDE',
  isContactSupport,
  'contact support invalide : adresse email ou lien https attendu',
);

// The name is also the multipart part name and ends up on disk: no path, no control character.
const PDF_FILE_NAME = /^[^/\\\p{Cc}]{1,251}\.pdf$/iu;
export const isPdfFileName = (value: unknown): boolean =>
  typeof value === 'string' && PDF_FILE_NAME.test(value) && value !== '.pdf' && !value.startsWith('..');

export const IsPdfFileName = predicate(
  'isPdfFileName',
  'CHAMP_INVALIDE',
  isPdfFileName,
  'nom de fichier invalide : un fichier .pdf sans chemin est attendu (255 caractères au plus)',
);

/** A built-in class-validator check with our code and French message instead of its English one. */
export const fr = (message: string, code: DossierErrorCode = 'CHAMP_INVALIDE'): ValidationOptions => ({
  message,
  context: { code } satisfies ConstraintContext,
});
