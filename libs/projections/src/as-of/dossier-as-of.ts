import type { RecordedEvent } from '@segur/event-store';
import type { Fournisseur } from '../read-models/fournisseurs/fournisseurs.read-model';
import { buildSuiviPage, canSee, type SuiviPage, type Viewer } from '../read-models/suivi/suivi.page';
import { createSuiviFold, type SuiviProjectionOptions } from '../read-models/suivi/suivi.projection';
import { VERSIONS_FOLD, type VersionRow } from '../read-models/versions/versions.projection';
import { versionsViewOf, type VersionView } from '../queries/versions.query';

// An as-of read folds the dossier's events up to the point with the very fold its projection runs
// (DossierFold.fold), into a state held in memory instead of a table, then builds the page as the
// live query builds it from the row: one projection logic, two places to keep it.

/**
 * The suivi page as it was after `events` (the stream up to the point, see streamAsOf), or null
 * when the dossier did not exist yet or is not the viewer's (→ 404, as the live page). The buttons
 * (`allowedActions`) are those of that moment: the page's clock is the last event's instant. The
 * fournisseur's récapitulatif (name, address, IBAN) is today's: it is reference data, not part of
 * the dossier's stream.
 */
export const suiviPageAsOf = async (
  numeroAsp: string,
  events: readonly RecordedEvent[],
  viewer: Viewer,
  fournisseurOf: (siret: string) => Promise<Fournisseur | null>,
  options: SuiviProjectionOptions = {},
): Promise<SuiviPage | null> => {
  const last = events.at(-1);
  if (last === undefined) return null;
  const row = createSuiviFold(options).fold(undefined, numeroAsp, events, []);
  // Tenancy before anything else is read for the page, as getSuivi does.
  if (row === undefined || !canSee(viewer, row.siret)) return null;
  return buildSuiviPage(row, await fournisseurOf(row.siret), viewer, new Date(last.recordedAt));
};

/** Historique as it was after `events`, or null (→ 404) as the live read. */
export const versionsAsOf = (
  numeroAsp: string,
  events: readonly RecordedEvent[],
  viewer: Viewer,
): { numeroAsp: string; versions: VersionView[] } | null => {
  const touched: VersionRow[] = [];
  const rounds = VERSIONS_FOLD.fold(undefined, numeroAsp, events, touched);
  if (rounds === undefined) return null;
  return versionsViewOf(
    numeroAsp,
    [...rounds.values()].sort((a, b) => a.round - b.round),
    viewer,
  );
};
