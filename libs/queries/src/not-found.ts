import { Refusal } from '@segur/kernel';

/** Unknown, or not the caller's (tenancy): both answer the same, so nothing leaks. */
export const dossierNotFound = (numeroAsp: string): Refusal =>
  new Refusal('not-found', 'INTROUVABLE', `Dossier ${numeroAsp} introuvable`);
