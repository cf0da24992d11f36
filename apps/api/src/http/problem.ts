export interface ProblemFieldError {
  path: string;
  code: string;
  message: string;
}

/** RFC 9457 body. `code` is one of the stable codes of docs/api.md. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  errors?: ProblemFieldError[];
  [extension: string]: unknown;
}

/** Thrown by the HTTP layer; rendered as application/problem+json by the filter. */
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
