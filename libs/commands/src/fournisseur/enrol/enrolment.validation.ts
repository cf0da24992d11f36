import { parseBic, parseIban, parseNumeroAns, parseSiret, type DossierError } from '@segur/domain';
import type { Fournisseur } from '@segur/projections';
import { Refusal, type RefusalDetail } from '@segur/kernel';

const FIELDS = ['numeroAns', 'denominationSociale', 'adresse', 'email', 'iban', 'bic'] as const;
const ADRESSE_FIELDS = ['ligne', 'codePostal', 'commune'] as const;
// Deliberately simple: the address only has to reach a mailbox, the mail server is the real check.
const EMAIL = /^[^\s@]{1,64}@[^\s@]+\.[^\s@]{2,}$/;
const CODE_POSTAL = /^\d{5}$/;

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const fieldError = (e: DossierError, path: string): RefusalDetail => ({
  path,
  code: e.code,
  message: e.message,
});

const text = (v: unknown, path: string, label: string, max: number, errors: RefusalDetail[]): string => {
  if (typeof v !== 'string' || v.trim() === '') {
    errors.push({ path, code: 'CHAMP_INVALIDE', message: `${label} : texte obligatoire` });
    return '';
  }
  if (v.length > max)
    errors.push({ path, code: 'CHAMP_INVALIDE', message: `${label} : ${max} caractères au plus` });
  return v.trim();
};

/**
 * Validates an enrolment: every error is listed (an `invalid` refusal), the problem's `code` is the
 * first one's (SIRET_INVALIDE, IBAN_INVALIDE, BIC_INVALIDE…), values come back normalised.
 */
export const parseEnrolment = (siretParam: string, body: unknown): Fournisseur => {
  const errors: RefusalDetail[] = [];
  const siret = parseSiret(siretParam, 'siret');
  if (!siret.ok) errors.push(fieldError(siret.error, 'siret'));
  if (!isObject(body)) {
    errors.push({ path: '', code: 'CHAMP_INVALIDE', message: 'objet JSON attendu' });
    throw new Refusal('invalid', errors[0]?.code ?? 'CHAMP_INVALIDE', 'enrôlement invalide', errors);
  }
  for (const k of Object.keys(body))
    if (!(FIELDS as readonly string[]).includes(k))
      errors.push({ path: k, code: 'CHAMP_INCONNU', message: `champ inconnu : ${k.slice(0, 40)}` });
  const numeroAns = parseNumeroAns(body.numeroAns, 'numeroAns');
  if (!numeroAns.ok) errors.push(fieldError(numeroAns.error, 'numeroAns'));
  const denominationSociale = text(
    body.denominationSociale,
    'denominationSociale',
    'dénomination sociale',
    200,
    errors,
  );
  const adresse = { ligne: '', codePostal: '', commune: '' };
  if (!isObject(body.adresse)) {
    errors.push({
      path: 'adresse',
      code: 'CHAMP_INVALIDE',
      message: 'adresse : objet { ligne, codePostal, commune } attendu',
    });
  } else {
    for (const k of Object.keys(body.adresse))
      if (!(ADRESSE_FIELDS as readonly string[]).includes(k))
        errors.push({
          path: `adresse.${k}`,
          code: 'CHAMP_INCONNU',
          message: `champ inconnu : ${k.slice(0, 40)}`,
        });
    adresse.ligne = text(body.adresse.ligne, 'adresse.ligne', 'adresse', 200, errors);
    adresse.commune = text(body.adresse.commune, 'adresse.commune', 'commune', 100, errors);
    const cp = body.adresse.codePostal;
    if (typeof cp !== 'string' || !CODE_POSTAL.test(cp))
      errors.push({
        path: 'adresse.codePostal',
        code: 'CHAMP_INVALIDE',
        message: 'code postal : 5 chiffres attendus',
      });
    else adresse.codePostal = cp;
  }
  const email = body.email;
  if (typeof email !== 'string' || email.length > 254 || !EMAIL.test(email))
    errors.push({ path: 'email', code: 'CHAMP_INVALIDE', message: 'adresse électronique invalide' });
  const iban = parseIban(body.iban, 'iban');
  if (!iban.ok) errors.push(fieldError(iban.error, 'iban'));
  const bic = parseBic(body.bic, 'bic');
  if (!bic.ok) errors.push(fieldError(bic.error, 'bic'));
  if (errors.length > 0 || !siret.ok || !numeroAns.ok || !iban.ok || !bic.ok) {
    const first = errors[0];
    throw new Refusal(
      'invalid',
      first?.code ?? 'CHAMP_INVALIDE',
      first?.message ?? 'enrôlement invalide',
      errors,
    );
  }
  return {
    siret: siret.value,
    numeroAns: numeroAns.value,
    denominationSociale,
    adresse,
    email: email as string,
    iban: iban.value,
    bic: bic.value,
  };
};
