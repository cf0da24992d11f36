import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { ProblemError, type ProblemFieldError } from './problem';

export const fieldErrorsOf = (errors: ValidationError[], parent = ''): ProblemFieldError[] =>
  errors.flatMap((e) => {
    const path = parent ? `${parent}.${e.property}` : e.property;
    const own = Object.entries(e.constraints ?? {}).map(([rule, message]) => ({
      path,
      code: rule === 'whitelistValidation' ? 'CHAMP_INCONNU' : 'CHAMP_INVALIDE',
      message: rule === 'whitelistValidation' ? `champ inconnu : ${path}` : message,
    }));
    return [...own, ...fieldErrorsOf(e.children ?? [], path)];
  });

/** class-validator with whitelist + forbidden unknown fields; every error listed, in problem+json. */
export const createValidationPipe = (): ValidationPipe =>
  new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) =>
      new ProblemError(400, 'REQUETE_INVALIDE', 'Données invalides', fieldErrorsOf(errors)),
  });
