import { maskIban } from '@segur/domain';
import type { SqlExecutor } from '@segur/event-store';
import { getFournisseur, upsertFournisseur, type Fournisseur } from '@segur/projections';
import { canSeeSiret, type Principal } from '../auth/principal';
import { parseEnrolment } from './enrolment.validation';

/** What GET /fournisseurs/{siret} shows; the IBAN in full only to assistance, who enters it. */
export type FournisseurView = Fournisseur & { ibanMasque: boolean };

export const fournisseurView = (f: Fournisseur, principal: Principal): FournisseurView => {
  const full = principal.role === 'assistance';
  return { ...f, iban: full ? f.iban : maskIban(f.iban), ibanMasque: !full };
};

/**
 * Enrolment ("Enrôlement"). Reference data written straight to the `fournisseurs` table, not an
 * event: no dossier's history depends on it, the suivi page reads the current values at query
 * time. (Kept this way on purpose; an audit of bank-detail changes would make it an event stream.)
 */
export class FournisseurService {
  constructor(private readonly sql: SqlExecutor) {}

  /** Validates and writes; `created` tells a first enrolment from an update. */
  async enrol(siret: string, body: unknown): Promise<{ fournisseur: Fournisseur; created: boolean }> {
    const fournisseur = parseEnrolment(siret, body);
    const before = await getFournisseur(this.sql, fournisseur.siret);
    await upsertFournisseur(this.sql, fournisseur);
    return { fournisseur, created: before === null };
  }

  /** Null for an unknown SIRET and for a fournisseur asking about another SIRET (404 alike). */
  async find(siret: string, principal: Principal): Promise<Fournisseur | null> {
    if (!canSeeSiret(principal, siret)) return null;
    return getFournisseur(this.sql, siret);
  }
}
