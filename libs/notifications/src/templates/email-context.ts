import type { Difference, EmailTemplate } from '@segur/domain';

/** An editable field of the couloir with its current value (the data the supplier may modify). */
export interface ChampCourant {
  field: string;
  value: string | null;
}

interface Base {
  numeroAsp: string;
  /** PUBLIC_URL of the portal: links point to `${publicUrl}/dossiers/<numeroAsp>`. */
  publicUrl: string;
}

export interface EmailContexts {
  MODIFICATION_DEMANDEE: Base & {
    version: string;
    commentaire: string;
    champs: ChampCourant[];
    expiresAt: string;
  };
  MODIFICATION_RELANCE: Base & {
    version: string;
    commentaire: string;
    champs: ChampCourant[];
    expiresAt: string;
  };
  MODIFICATION_EXPIREE: Base & { version: string };
  MODIFICATION_SOUMISE: Base & {
    version: string;
    changes: { field: string; from: string | null; to: string | null }[];
    piecesAjoutees: string[];
  };
  SOLDE_VALIDE: Base & {
    engagementRetenuCents: number;
    soldeDecideCents: number;
    decisionModificative: { differences: Difference[] } | null;
  };
  SOLDE_REJETE: Base & { motif: string };
}

export type EmailContext<T extends EmailTemplate> = EmailContexts[T];
