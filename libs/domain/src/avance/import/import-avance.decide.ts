import type { CouloirsConfig } from '../../couloir/couloir.config';
import type { ImportAvance } from '../../dossier/dossier.commands';
import { dossierError, fail, ok, type Result } from '../../dossier/dossier.errors';
import type { DossierEvent } from '../../dossier/dossier.events';
import type { DossierState } from '../../dossier/dossier.state';

export const decideImportAvance = (
  command: ImportAvance,
  state: DossierState,
  couloirs: CouloirsConfig,
): Result<DossierEvent[]> => {
  const d = command.data;
  if (state.avance !== null) {
    // IMP-14: resending the same line must be harmless: the import report says `unchanged`.
    if (state.avance.contentHash === d.contentHash) return ok([]);
    // IMP-16: another avance on this numéro ASP.
    return fail(
      dossierError(
        'AVANCE_DEJA_IMPORTEE',
        `la demande d'avance ${d.numeroAsp} a déjà été importée`,
        'numeroASP',
      ),
    );
  }
  // IMP-15: the couloir must be configured.
  if (couloirs[d.couloir] === undefined) {
    return fail(dossierError('COULOIR_INCONNU', `couloir inconnu : ${d.couloir}`, 'numeroAns'));
  }
  return ok([
    {
      type: 'AvanceImported',
      data: {
        numeroAsp: d.numeroAsp,
        couloir: d.couloir,
        numeroAns: d.numeroAns,
        siret: d.siret,
        importId: d.importId,
        numLigne: d.numLigne,
        numeroEditeur: d.numeroEditeur,
        bonDeCommande: { ...d.bonDeCommande },
        beneficiaire: d.beneficiaire,
        contactSupport: d.contactSupport,
        pieces: d.pieces,
        contentHash: d.contentHash,
        importedAt: command.at,
      },
    },
  ]);
};
