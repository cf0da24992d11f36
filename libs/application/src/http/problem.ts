import type { DossierErrorCode } from '@segur/domain';

export interface ProblemFieldError {
  path: string;
  code: string;
  message: string;
}

/** RFC 9457 body. `code` is one of the stable codes of API.md. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  errors?: ProblemFieldError[];
  [extension: string]: unknown;
}

/** Thrown anywhere in the application; rendered as application/problem+json by the filter. */
export class ProblemError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    detail: string,
    readonly errors?: ProblemFieldError[],
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
    this.name = 'ProblemError';
  }
}

const TITLES: Record<number, string> = {
  400: 'Requête invalide',
  401: 'Authentification requise',
  403: 'Accès refusé',
  404: 'Ressource introuvable',
  405: 'Méthode non autorisée',
  409: 'Conflit',
  412: 'Précondition échouée',
  413: 'Contenu trop volumineux',
  415: 'Type de contenu non supporté',
  422: 'Règle métier non respectée',
  429: 'Trop de requêtes',
  500: 'Erreur interne',
  503: 'Service indisponible',
};

export const problemTitle = (status: number): string => TITLES[status] ?? 'Erreur';

/** HTTP status of a domain refusal (API.md: 409 wrong state, 422 business rule, 400 invalid value). */
export const statusOfDomainCode = (code: DossierErrorCode): number => {
  switch (code) {
    case 'STATUT_INCOMPATIBLE':
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
