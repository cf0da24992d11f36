import { canSeeSiret, type Principal } from '@segur/auth';
import type { SqlExecutor } from '@segur/event-store';
import type { ImportHeader } from '@segur/import-format';
import { Refusal } from '@segur/kernel';
import { getFournisseur } from '@segur/projections';

/**
 * Who may import this file: the caller may act for the file's SIRET (a fournisseur only for its
 * own), the fournisseur is enrolled, and the file's numéro ANS is the enrolled one.
 */
export const checkImportAccess = async (
  sql: SqlExecutor,
  principal: Principal,
  header: ImportHeader,
): Promise<void> => {
  if (!canSeeSiret(principal, header.siret))
    throw new Refusal(
      'forbidden',
      'ACCES_REFUSE',
      `le SIRET du fichier (${header.siret}) n'est pas celui de votre jeton`,
    );
  const fournisseur = await getFournisseur(sql, header.siret);
  if (fournisseur === null)
    throw new Refusal(
      'rule',
      'FOURNISSEUR_INCONNU',
      `le fournisseur ${header.siret} n'est pas enrôlé : l'enrôlement (assistance) précède tout import`,
      [{ path: 'siret', code: 'FOURNISSEUR_INCONNU', message: 'fournisseur non enrôlé' }],
    );
  if (fournisseur.numeroAns !== header.numeroAns)
    throw new Refusal(
      'rule',
      'NUMERO_ANS_DIFFERENT',
      `le numéro ANS du fichier (${header.numeroAns}) n'est pas celui de l'enrôlement du SIRET ${header.siret} (${fournisseur.numeroAns})`,
      [{ path: 'numeroAns', code: 'NUMERO_ANS_DIFFERENT', message: "numéro ANS différent de l'enrôlement" }],
    );
};
