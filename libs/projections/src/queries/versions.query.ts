import { versionLabel, type FieldChange, type PieceRef } from '@segur/domain';
import type { EventActor, SqlExecutor } from '@segur/event-store';
import { dateFrOfInstant } from '../read-models/format';
import { canSee, type Viewer } from '../read-models/suivi/suivi.page';
import { numeroAspVersionOf } from '../read-models/version';
import type { VersionOutcome, VersionRow } from '../read-models/versions/versions.projection';
import { toIsoOrNull } from '@segur/kernel';

export const OUTCOME_LABELS: Readonly<Record<VersionOutcome, string>> = {
  imported: 'Demande déposée',
  open: 'Modification en cours',
  submitted: 'Modifications confirmées',
  declined: 'Non modifiée',
  expired: 'Délai de modification expiré',
};

export interface VersionView {
  /** `FINSAS008539` for the imported solde, `FINSAS008539M1`, … */
  numeroAspVersion: string;
  /** null for the imported solde, else `M1`, `M2`, … */
  version: string | null;
  round: number;
  outcome: VersionOutcome;
  outcomeLabel: string;
  /** The version the dossier is instructed on (imported solde, or last submitted round). */
  current: boolean;
  requestedBy: EventActor;
  requestedAt: string;
  dateDemande: string;
  commentaire: string | null;
  reminderDueAt: string | null;
  expiresAt: string | null;
  reminderSentAt: string | null;
  closedBy: EventActor | null;
  closedAt: string | null;
  dateCloture: string | null;
  changes: FieldChange[];
  piecesAdded: PieceRef[];
}

/** Historique, oldest first; null when unknown or not the fournisseur's own (→ 404). */
export const getVersions = async (
  sql: SqlExecutor,
  numeroAsp: string,
  viewer: Viewer,
): Promise<{ numeroAsp: string; versions: VersionView[] } | null> => {
  const r = await sql.query<VersionRow>(
    'SELECT * FROM dossier_versions WHERE numero_asp = $1 ORDER BY round',
    [numeroAsp],
  );
  return versionsViewOf(numeroAsp, r.rows, viewer);
};

/** Historique from its rows (ordered by round), as the live read and an as-of read show it. */
export const versionsViewOf = (
  numeroAsp: string,
  rows: readonly VersionRow[],
  viewer: Viewer,
): { numeroAsp: string; versions: VersionView[] } | null => {
  const first = rows[0];
  if (!first || !canSee(viewer, first.siret)) return null;
  const current = rows.reduce((acc, row) => (row.outcome === 'submitted' ? row.round : acc), 0);
  return {
    numeroAsp,
    versions: rows.map((row) => {
      const requestedAt = toIsoOrNull(row.requested_at)!;
      const closedAt = toIsoOrNull(row.closed_at);
      return {
        numeroAspVersion: numeroAspVersionOf(numeroAsp, row.round),
        version: row.round === 0 ? null : versionLabel(row.round),
        round: row.round,
        outcome: row.outcome,
        outcomeLabel: OUTCOME_LABELS[row.outcome],
        current: row.round === current,
        requestedBy: row.requested_by,
        requestedAt,
        dateDemande: dateFrOfInstant(requestedAt),
        commentaire: row.commentaire,
        reminderDueAt: toIsoOrNull(row.reminder_due_at),
        expiresAt: toIsoOrNull(row.expires_at),
        reminderSentAt: toIsoOrNull(row.reminder_sent_at),
        closedBy: row.closed_by,
        closedAt,
        dateCloture: closedAt === null ? null : dateFrOfInstant(closedAt),
        changes: row.changes,
        piecesAdded: row.pieces_added,
      };
    }),
  };
};
