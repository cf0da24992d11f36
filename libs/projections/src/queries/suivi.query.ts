import { runPrepared, type SqlExecutor } from '@segur/event-store';
import { fournisseurOfRow, type Adresse } from '../read-models/fournisseurs/fournisseurs.read-model';
import { buildSuiviPage, canSee, type SuiviPage, type Viewer } from '../read-models/suivi/suivi.page';
import type { SuiviRow } from '../read-models/suivi/suivi.projection';

interface Joined extends SuiviRow {
  f_siret: string | null;
  f_numero_ans: string;
  f_denomination_sociale: string;
  f_adresse: Adresse;
  f_email: string;
  f_iban: string;
  f_bic: string;
}

// One point lookup on both primary keys (EXPLAIN: two index scans in a nested loop), prepared. The
// state is read as json whatever the column's type (jsonb in tables from before, json since): a
// rebuild's swap that changes the column's type then leaves the prepared result type as it was.
const SUIVI = `SELECT s.numero_asp, s.siret, s.couloir, s.dsr, s.champs_editables, s.stream_version, s.last_event_at, s.state::json AS state,
            f.siret AS f_siret, f.numero_ans AS f_numero_ans, f.denomination_sociale AS f_denomination_sociale,
            f.adresse AS f_adresse, f.email AS f_email, f.iban AS f_iban, f.bic AS f_bic
       FROM suivi_dossiers s LEFT JOIN fournisseurs f ON f.siret = s.siret
      WHERE s.numero_asp = $1`;

/** The suivi page, or null when the dossier does not exist or is not the fournisseur's own (→ 404). */
export const getSuivi = async (
  sql: SqlExecutor,
  numeroAsp: string,
  viewer: Viewer,
  options: { now?: Date } = {},
): Promise<SuiviPage | null> => {
  const [row] = await runPrepared<Joined>(sql, 'segur_suivi_page', SUIVI, [numeroAsp]);
  if (!row || !canSee(viewer, row.siret)) return null;
  const fournisseur =
    row.f_siret === null
      ? null
      : fournisseurOfRow({
          siret: row.f_siret,
          numero_ans: row.f_numero_ans,
          denomination_sociale: row.f_denomination_sociale,
          adresse: row.f_adresse,
          email: row.f_email,
          iban: row.f_iban,
          bic: row.f_bic,
        });
  return buildSuiviPage(row, fournisseur, viewer, options.now);
};
