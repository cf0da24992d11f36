export const ROLES = ['fournisseur', 'gestionnaire', 'assistance', 'auditeur', 'service'] as const;
export type ApiRole = (typeof ROLES)[number];

export interface Principal {
  sub: string;
  role: ApiRole;
  /** A fournisseur's SIRET(s): its whole world. Empty for back-office roles. */
  sirets: string[];
  numeroAns: string | null;
}

export const BACK_OFFICE: readonly ApiRole[] = ['gestionnaire', 'assistance', 'auditeur'];

/** Tenancy: may this caller see a dossier of that SIRET? */
export const canSeeSiret = (p: Principal, siret: string): boolean =>
  p.role !== 'fournisseur' || p.sirets.includes(siret);
