import type { DossierError } from '@segur/domain';

// What the pipeline throws instead of appending. Each edge (HTTP, CLI, timers, imports) translates
// them its own way; none of them is an HTTP status.

/** The decider said no: nothing was appended. Carries the stable code of docs/api.md. */
export class DomainRefusalError extends Error {
  constructor(readonly error: DossierError) {
    super(error.message);
    this.name = 'DomainRefusalError';
  }
}

/** The stream moved under the caller's `If-Match`, or retries on conflict ran out. */
export class VersionConflictError extends Error {
  constructor(
    readonly kind: 'stale_if_match' | 'retries_exhausted',
    readonly streamId: string,
    readonly actualVersion: number,
  ) {
    super(
      kind === 'stale_if_match'
        ? `Version périmée : le dossier est en version ${actualVersion}`
        : `Conflit de version persistant sur ${streamId}, réessayez`,
    );
    this.name = 'VersionConflictError';
  }
}

/**
 * Tenancy: the caller may not see this dossier, so it is answered exactly as a dossier that does
 * not exist (a fournisseur must not learn that another's dossier exists).
 */
export class DossierNotFoundError extends Error {
  constructor(readonly numeroAsp: string) {
    super(`Dossier ${numeroAsp} introuvable`);
    this.name = 'DossierNotFoundError';
  }
}
