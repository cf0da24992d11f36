import { PHASE_LABELS, STATUT_LABELS, type Phase, type Statut } from '@segur/domain';
import type { SqlExecutor } from '@segur/event-store';
import { dateFrOfInstant, montantView, type MontantView } from '../read-models/format';
import type { Viewer } from '../read-models/suivi/suivi.page';
import { toIso } from '@segur/kernel';

export interface ListFilters {
  statut?: Statut | readonly Statut[];
  couloir?: string;
  phase?: Phase;
  /** Searches numéro ASP, SIRET and dénomination sociale (case-insensitive, substring). */
  q?: string;
  /** Only dossiers whose open round has a deadline past (reminder not sent, or expiry). */
  overdue?: boolean;
  /** Opaque, from a previous page's `nextCursor`. */
  cursor?: string | null;
  /** 1..200, default 50. */
  limit?: number;
}

export interface DossierListItem {
  numeroAsp: string;
  siret: string;
  numeroAns: string;
  denominationSociale: string | null;
  couloir: string;
  phase: Phase;
  phaseLabel: string;
  statut: Statut;
  statutLabel: string;
  statusChangedAt: string;
  dateChangementStatut: string;
  dateDepot: string;
  montant: MontantView;
  openRound: string | null;
  reminderDueAt: string | null;
  expiresAt: string | null;
  hasOverdueRound: boolean;
}

export interface DossierListPage {
  items: DossierListItem[];
  /** null on the last page. */
  nextCursor: string | null;
}

/** A cursor that was not made by this function (400 for the HTTP layer). */
export class InvalidCursorError extends Error {
  readonly code = 'CURSEUR_INVALIDE';
  constructor() {
    super('Curseur de pagination invalide');
    this.name = 'InvalidCursorError';
  }
}

// Keyset on (status_changed_at DESC, numero_asp DESC): most recently moved dossiers first, the
// numéro ASP breaking ties, so pages neither skip nor repeat rows while others are written.
const encodeCursor = (at: string, numeroAsp: string): string =>
  Buffer.from(JSON.stringify([at, numeroAsp])).toString('base64url');

const decodeCursor = (cursor: string): [string, string] => {
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(v) &&
      v.length === 2 &&
      typeof v[0] === 'string' &&
      typeof v[1] === 'string' &&
      !Number.isNaN(Date.parse(v[0]))
    ) {
      return [v[0], v[1]];
    }
  } catch {
    // fall through
  }
  throw new InvalidCursorError();
};

const likePattern = (q: string): string => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

interface Row {
  numero_asp: string;
  siret: string;
  numero_ans: string;
  denomination_sociale: string | null;
  couloir: string;
  phase: Phase;
  statut: Statut;
  status_changed_at: Date | string;
  date_depot: Date | string;
  montant_cents: string;
  open_round: string | null;
  reminder_due_at: Date | string | null;
  expires_at: Date | string | null;
  overdue: boolean;
}

export const listDossiers = async (
  sql: SqlExecutor,
  filters: ListFilters,
  viewer: Viewer,
  options: { now?: Date } = {},
): Promise<DossierListPage> => {
  const limit = Math.min(Math.max(Math.trunc(filters.limit ?? 50), 1), 200);
  const now = (options.now ?? new Date()).toISOString();
  const params: unknown[] = [now];
  const where: string[] = [];
  const param = (v: unknown): string => {
    params.push(v);
    return `$${params.length}`;
  };
  if (viewer.role === 'fournisseur')
    where.push(`l.siret = ANY(${param([...(viewer.sirets ?? [])])}::text[])`);
  if (filters.statut !== undefined) {
    const statuts = typeof filters.statut === 'string' ? [filters.statut] : [...filters.statut];
    where.push(`l.statut = ANY(${param(statuts)}::text[])`);
  }
  if (filters.couloir) where.push(`l.couloir = ${param(filters.couloir)}`);
  if (filters.phase) where.push(`l.phase = ${param(filters.phase)}`);
  if (filters.q && filters.q.trim() !== '') {
    const p = param(likePattern(filters.q.trim()));
    where.push(`(l.numero_asp ILIKE ${p} OR l.siret ILIKE ${p} OR f.denomination_sociale ILIKE ${p})`);
  }
  const overdue = `(l.open_round IS NOT NULL AND (l.expires_at < $1::timestamptz OR (NOT l.reminder_sent AND l.reminder_due_at < $1::timestamptz)))`;
  if (filters.overdue === true) where.push(overdue);
  if (filters.overdue === false) where.push(`NOT ${overdue}`);
  if (filters.cursor) {
    const [at, numeroAsp] = decodeCursor(filters.cursor);
    where.push(`(l.status_changed_at, l.numero_asp) < (${param(at)}::timestamptz, ${param(numeroAsp)})`);
  }
  const r = await sql.query<Row>(
    `SELECT l.numero_asp, l.siret, l.numero_ans, f.denomination_sociale, l.couloir, l.phase, l.statut,
            l.status_changed_at, l.date_depot, l.montant_cents, l.open_round, l.reminder_due_at, l.expires_at,
            ${overdue} AS overdue
       FROM dossier_list l LEFT JOIN fournisseurs f ON f.siret = l.siret
      ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY l.status_changed_at DESC, l.numero_asp DESC
      LIMIT ${param(limit + 1)}`,
    params,
  );
  const rows = r.rows.slice(0, limit);
  const items = rows.map((row): DossierListItem => ({
    numeroAsp: row.numero_asp,
    siret: row.siret,
    numeroAns: row.numero_ans,
    denominationSociale: row.denomination_sociale,
    couloir: row.couloir,
    phase: row.phase,
    phaseLabel: PHASE_LABELS[row.phase],
    statut: row.statut,
    statutLabel: STATUT_LABELS[row.statut],
    statusChangedAt: toIso(row.status_changed_at),
    dateChangementStatut: dateFrOfInstant(toIso(row.status_changed_at)),
    dateDepot: dateFrOfInstant(toIso(row.date_depot)),
    montant: montantView(Number(row.montant_cents)),
    openRound: row.open_round,
    reminderDueAt: row.reminder_due_at === null ? null : toIso(row.reminder_due_at),
    expiresAt: row.expires_at === null ? null : toIso(row.expires_at),
    hasOverdueRound: row.overdue,
  }));
  const last = items[items.length - 1];
  return {
    items,
    nextCursor: r.rows.length > limit && last ? encodeCursor(last.statusChangedAt, last.numeroAsp) : null,
  };
};
