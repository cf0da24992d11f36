import { DomainRefusalError, DossierNotFoundError, VersionConflictError } from '@segur/commands';
import { isConnectionLost } from '@segur/event-store';
import type { DossierErrorCode } from '@segur/domain';
import { Refusal, type RefusalKind } from '@segur/kernel';
import { ProblemError } from './problem';

// The one place where what a library refused becomes an HTTP status (docs/api.md, "Errors").

const STATUS_OF_KIND: Record<RefusalKind, number> = {
  invalid: 400,
  forbidden: 403,
  'not-found': 404,
  conflict: 409,
  rule: 422,
  'too-large': 413,
  unsupported: 415,
  unavailable: 503,
};

/** HTTP status of a domain refusal: 409 wrong state, 422 business rule, 400 invalid value, 404 unknown. */
export const statusOfDomainCode = (code: DossierErrorCode): number => {
  switch (code) {
    case 'STATUT_INCOMPATIBLE':
    case 'ECHEANCE_NON_ATTEINTE':
    case 'CONFLIT_VERSION':
    case 'PIECE_NON_SUPPRIMABLE':
    case 'AVANCE_DEJA_IMPORTEE':
    case 'AVANCE_DEJA_PAYEE':
    case 'SOLDE_DEJA_DEPOSE':
    case 'MODIFICATION_EXPIREE':
      return 409;
    case 'DOSSIER_INCONNU':
    case 'PIECE_INCONNUE':
      return 404;
    case 'SIRET_INVALIDE':
    case 'FINESS_INVALIDE':
    case 'NUMERO_ASP_INVALIDE':
    case 'DATE_INVALIDE':
    case 'MONTANT_INVALIDE':
    case 'CHAMP_INCONNU':
    case 'CHAMP_INVALIDE':
    case 'IBAN_INVALIDE':
    case 'BIC_INVALIDE':
    case 'COMMENTAIRE_OBLIGATOIRE':
    case 'MOTIF_OBLIGATOIRE':
    case 'PIECE_TYPE_INCONNU':
      return 400;
    default:
      return 422;
  }
};

/**
 * The problem an error of the engine's libraries stands for, or the error itself when it is none
 * of theirs (then the filter answers 500 without detail).
 */
export const problemOf = (e: unknown): unknown => {
  if (e instanceof ProblemError) return e;
  if (e instanceof Refusal)
    return new ProblemError(
      STATUS_OF_KIND[e.kind],
      e.code,
      e.message,
      e.details ? [...e.details] : undefined,
      e.retryAfterSeconds !== undefined ? { 'Retry-After': String(e.retryAfterSeconds) } : {},
    );
  if (e instanceof DomainRefusalError) {
    const { code, message, path } = e.error;
    return new ProblemError(
      statusOfDomainCode(code),
      code,
      message,
      path ? [{ path, code, message }] : undefined,
    );
  }
  if (e instanceof VersionConflictError)
    return e.kind === 'stale_if_match'
      ? new ProblemError(412, 'CONFLIT_VERSION', e.message, undefined, { ETag: `"${e.actualVersion}"` })
      : new ProblemError(409, 'CONFLIT_VERSION', e.message);
  if (e instanceof DossierNotFoundError) return new ProblemError(404, 'INTROUVABLE', e.message);
  // A command cut by a lost connection may or may not have committed: 503 says "try again", and
  // the same Idempotency-Key (or If-Match) makes the retry safe either way.
  if (isConnectionLost(e))
    return new ProblemError(
      503,
      'BASE_INDISPONIBLE',
      'Base de données momentanément indisponible : réessayez dans quelques instants',
      undefined,
      { 'Retry-After': '1' },
    );
  return e;
};
