import type { DossierError } from '@segur/domain';

/** The decider said no: nothing was appended. Carries the stable code of API.md. */
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
