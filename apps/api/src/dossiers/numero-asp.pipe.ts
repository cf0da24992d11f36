import { Injectable, type PipeTransform } from '@nestjs/common';
import { ProblemError } from '../http/problem';

const NUMERO_ASP = /^FIN[A-Z]{3}\d{6}$/;

/** Route ids are checked before anything is read: a malformed one is a 400, not a 404. */
@Injectable()
export class NumeroAspPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!NUMERO_ASP.test(value))
      throw new ProblemError(
        400,
        'NUMERO_ASP_INVALIDE',
        `Numéro ASP invalide : ${value.slice(0, 40)} (FIN + couloir + 6 chiffres)`,
        [{ path: 'numeroAsp', code: 'NUMERO_ASP_INVALIDE', message: 'FIN + couloir + 6 chiffres attendu' }],
      );
    return value;
  }
}
