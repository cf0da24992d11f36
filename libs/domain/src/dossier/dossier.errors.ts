// Stable error codes of docs/api.md. The HTTP layer maps a code to a status; the message is French
// because users read it.
export type DossierErrorCode =
  | 'SIRET_INVALIDE'
  | 'FINESS_INVALIDE'
  | 'NUMERO_ASP_INVALIDE'
  | 'DATE_INVALIDE'
  | 'MONTANT_INVALIDE'
  | 'CHAMP_INCONNU'
  | 'CHAMP_INVALIDE'
  | 'FOURNISSEUR_INCONNU'
  | 'AVANCE_INCONNUE'
  | 'AVANCE_DEJA_IMPORTEE'
  | 'AVANCE_DEJA_PAYEE'
  | 'AVANCE_NON_PAYEE'
  | 'SIRET_DIFFERENT_AVANCE'
  | 'DATE_CLOTURE_DEPASSEE'
  | 'PIECE_OBLIGATOIRE_MANQUANTE'
  | 'PIECE_TYPE_INCONNU'
  | 'PIECE_INCONNUE'
  | 'BENEFICIAIRE_ABSENT_AVANCE'
  | 'COMMENTAIRE_OBLIGATOIRE'
  | 'MOTIF_OBLIGATOIRE'
  | 'CHAMP_NON_MODIFIABLE'
  | 'PIECE_NON_SUPPRIMABLE'
  | 'STATUT_INCOMPATIBLE'
  | 'MODIFICATION_EXPIREE'
  /** A timer arrived before its due time (clocks a hair apart): the scheduler tries again. */
  | 'ECHEANCE_NON_ATTEINTE'
  | 'CONFLIT_VERSION'
  | 'IBAN_INVALIDE'
  | 'BIC_INVALIDE'
  | 'SOLDE_DEJA_DEPOSE'
  | 'DOSSIER_INCONNU'
  | 'COULOIR_INCONNU';

export interface DossierError {
  code: DossierErrorCode;
  message: string;
  /** JSON path of the offending input, when there is one (`lignesImport[0].beneficiaire`). */
  path?: string;
}

export const dossierError = (code: DossierErrorCode, message: string, path?: string): DossierError =>
  path === undefined ? { code, message } : { code, message, path };

export type Result<T, E = DossierError> = { ok: true; value: T } | { ok: false; error: E };
export const ok = <T>(value: T): Result<T, never> => ({ ok: true, value });
export const fail = <E>(error: E): Result<never, E> => ({ ok: false, error });
