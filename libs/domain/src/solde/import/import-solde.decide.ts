import type { CouloirConfig } from '../../couloir/couloir.config';
import type { ImportSolde } from '../../dossier/dossier.commands';
import { dossierError, fail, ok, type DossierError, type Result } from '../../dossier/dossier.errors';
import type { DossierEvent } from '../../dossier/dossier.events';
import type { ExistingDossier } from '../../dossier/dossier.state';
import { parisDate } from '../../shared/iso-duration.valueType';

export const BENEFICIAIRE_ABSENT_AVANCE_MOTIF =
  "un bénéficiaire absent de la demande d'avance ne peut faire l'objet d'une demande de solde";

/**
 * Also the answer to a fournisseur quoting someone else's numéro ASP: it must read exactly what
 * it would read for a dossier that does not exist (docs/api.md, "Precise points").
 */
export const avanceInconnue = (numeroAsp: string): DossierError =>
  dossierError('AVANCE_INCONNUE', `aucune demande d'avance ${numeroAsp} n'est connue`, 'numeroASP');

/** SOL-8: same site, or the avance's site declared as the historical one of an A → B change. */
export const isBeneficiaireOfAvance = (
  avanceBeneficiaire: string,
  solde: { beneficiaire: string; beneficiaireHistorique: string | null },
): boolean =>
  solde.beneficiaire === avanceBeneficiaire || solde.beneficiaireHistorique === avanceBeneficiaire;

export const decideImportSolde = (
  command: ImportSolde,
  state: ExistingDossier,
  couloir: CouloirConfig,
): Result<DossierEvent[]> => {
  const d = command.data;
  const { avance } = state;
  // SOL-2 (the avance's SIRET) comes first so that nothing else (paid or not, already deposited…) leaks to another supplier.
  if (d.siret !== state.identity.siret) {
    if (command.actor.role === 'fournisseur') return fail(avanceInconnue(d.numeroAsp));
    return fail(
      dossierError(
        'SIRET_DIFFERENT_AVANCE',
        `le SIRET ${d.siret} n'est pas celui de la demande d'avance (${state.identity.siret}) : un changement de SIRET passe par l'assistance`,
        'siret',
      ),
    );
  }
  // SOL-3, before the dated rules: resending yesterday's accepted file after the closing date is still `unchanged`.
  if (state.solde !== null) {
    if (state.solde.contentHash === d.contentHash) return ok([]);
    return fail(
      dossierError(
        'SOLDE_DEJA_DEPOSE',
        `une demande de solde a déjà été déposée pour ${d.numeroAsp}`,
        'numeroASP',
      ),
    );
  }
  // SOL-4: the avance is paid.
  if (avance.payment === null) {
    return fail(
      dossierError(
        'AVANCE_NON_PAYEE',
        `la demande de solde n'est possible qu'une fois l'avance au statut « Paiement effectué »`,
        'numeroASP',
      ),
    );
  }
  // SOL-5: the closing date is the last allowed day, on the Paris calendar.
  if (parisDate(command.at) > couloir.clotureSolde) {
    return fail(
      dossierError(
        'DATE_CLOTURE_DEPASSEE',
        `la date de clôture des demandes de solde du couloir ${state.identity.couloir} (${couloir.clotureSolde}) est dépassée`,
      ),
    );
  }
  // SOL-6: the couloir's mandatory pieces.
  const types = new Set(d.pieces.map((p) => p.type));
  const missing = couloir.piecesObligatoiresSolde.filter((t) => !types.has(t));
  if (missing.length > 0) {
    return fail(
      dossierError(
        'PIECE_OBLIGATOIRE_MANQUANTE',
        `pièce(s) obligatoire(s) manquante(s) : ${missing.join(', ')}`,
        'piecesJustificatives',
      ),
    );
  }
  // SOL-7: piece types of the couloir.
  const unknownIndex = d.pieces.findIndex((p) => !couloir.typesPieces.includes(p.type));
  const unknown = d.pieces[unknownIndex];
  if (unknown !== undefined) {
    return fail(
      dossierError(
        'PIECE_TYPE_INCONNU',
        `type de pièce inconnu pour le couloir ${state.identity.couloir} : ${unknown.type}`,
        `piecesJustificatives[${unknownIndex}].type`,
      ),
    );
  }
  // SOL-9 (montant = total HT, avance included) is no refusal: validation turns a difference
  // into a décision modificative.
  const imported: DossierEvent = {
    type: 'SoldeImported',
    data: {
      numeroAsp: d.numeroAsp,
      siret: d.siret,
      numeroAns: d.numeroAns,
      importId: d.importId,
      numLigne: d.numLigne,
      numeroEditeur: d.numeroEditeur,
      facture: { ...d.facture },
      beneficiaire: d.beneficiaire,
      beneficiaireHistorique: d.beneficiaireHistorique,
      // SOL-10: the line's contact, else the avance's.
      champs: { contactSupport: d.contactSupport ?? avance.contactSupport },
      pieces: d.pieces,
      scenariosEffectivementInstalles: d.scenariosEffectivementInstalles,
      contentHash: d.contentHash,
      importedAt: command.at,
    },
  };
  // SOL-8: recorded, then rejected, so the supplier sees why on the dossier itself.
  if (!isBeneficiaireOfAvance(avance.beneficiaire, d)) {
    return ok([
      imported,
      {
        type: 'SoldeAutoRejected',
        data: {
          numeroAsp: d.numeroAsp,
          code: 'BENEFICIAIRE_ABSENT_AVANCE',
          motif: BENEFICIAIRE_ABSENT_AVANCE_MOTIF,
          rejectedAt: command.at,
        },
      },
    ]);
  }
  return ok([imported]);
};
