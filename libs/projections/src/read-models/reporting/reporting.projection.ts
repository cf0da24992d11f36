import { numeroAspOfStream, type DossierEvent } from '@segur/domain';
import type { RecordedEvent, SqlExecutor } from '@segur/event-store';
import type { Projection } from '../../projection';
import { STATUS_EVENT_TYPES, statusChangeOf } from '../status-change';

// Back-office reporting: one row per dossier (counts and amounts by statut / couloir / phase) and
// one row per modification round (opened / submitted / declined / expired, time to submit).
// Amounts are integer cents (bigint): sums stay exact.
export const REPORTING_MIGRATIONS: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS report_dossiers (
    numero_asp text PRIMARY KEY,
    couloir text NOT NULL,
    phase text NOT NULL,
    statut text NOT NULL,
    montant_demande_cents bigint NOT NULL,
    avance_payee_cents bigint NOT NULL DEFAULT 0,
    engagement_retenu_cents bigint NOT NULL DEFAULT 0,
    solde_decide_cents bigint NOT NULL DEFAULT 0,
    solde_paye_cents bigint NOT NULL DEFAULT 0,
    recouvrement_cents bigint NOT NULL DEFAULT 0,
    open_round text,
    stream_version integer NOT NULL
  )`,
  `CREATE TABLE IF NOT EXISTS report_rounds (
    numero_asp text NOT NULL,
    round integer NOT NULL,
    couloir text NOT NULL,
    requested_at timestamptz NOT NULL,
    closed_at timestamptz,
    outcome text NOT NULL,
    submit_ms bigint,
    PRIMARY KEY (numero_asp, round)
  )`,
];

export const REPORTING_PROJECTION = 'reporting';

export const createReportingProjection = (): Projection => ({
  name: REPORTING_PROJECTION,
  migrations: REPORTING_MIGRATIONS,
  tables: ['report_dossiers', 'report_rounds'],
  eventTypes: [...STATUS_EVENT_TYPES, 'RecoveryOrderIssued'],
  async apply(tx: SqlExecutor, recorded: RecordedEvent): Promise<void> {
    if (!recorded.streamId.startsWith('dossier-')) return;
    const numeroAsp = numeroAspOfStream(recorded.streamId);
    const event = recorded as unknown as DossierEvent;
    if (event.type === 'AvanceImported') {
      await tx.query(
        `INSERT INTO report_dossiers (numero_asp, couloir, phase, statut, montant_demande_cents, stream_version)
         VALUES ($1, $2, 'AVANCE', 'EN_COURS', $3, $4) ON CONFLICT (numero_asp) DO NOTHING`,
        [numeroAsp, event.data.couloir, event.data.bonDeCommande.montantCents, recorded.streamVersion],
      );
      return;
    }
    const r = await tx.query<{ couloir: string; open_round: string | null; stream_version: number }>(
      'SELECT couloir, open_round, stream_version FROM report_dossiers WHERE numero_asp = $1',
      [numeroAsp],
    );
    const row = r.rows[0];
    if (!row || row.stream_version >= recorded.streamVersion) return;
    const params: unknown[] = [numeroAsp, recorded.streamVersion];
    const sets = ['stream_version = $2'];
    const set = (column: string, value: unknown): void => {
      params.push(value);
      sets.push(`${column} = $${params.length}`);
    };
    const change = statusChangeOf(event, row.open_round);
    if (change) {
      set('statut', change.statut);
      if (change.phase) set('phase', change.phase);
    }
    const closeRound = async (version: string, outcome: string, at: string): Promise<void> => {
      if (row.open_round !== version) return;
      set('open_round', null);
      await tx.query(
        `UPDATE report_rounds SET outcome = $3, closed_at = $4,
           submit_ms = CASE WHEN $3 = 'submitted' THEN (extract(epoch FROM ($4::timestamptz - requested_at)) * 1000)::bigint END
         WHERE numero_asp = $1 AND round = $2`,
        [numeroAsp, Number(version.slice(1)), outcome, at],
      );
    };
    switch (event.type) {
      case 'AvancePaymentRecorded':
        set('avance_payee_cents', event.data.montantCents);
        break;
      case 'SoldeImported':
        set('montant_demande_cents', event.data.facture.montantCents);
        break;
      case 'ModificationRequested':
        set('open_round', event.data.version);
        await tx.query(
          `INSERT INTO report_rounds (numero_asp, round, couloir, requested_at, outcome)
           VALUES ($1, $2, $3, $4, 'open') ON CONFLICT (numero_asp, round) DO NOTHING`,
          [numeroAsp, event.data.round, row.couloir, event.data.requestedAt],
        );
        break;
      case 'ModificationSubmitted':
        await closeRound(event.data.version, 'submitted', event.data.submittedAt);
        break;
      case 'ModificationDeclined':
        await closeRound(event.data.version, 'declined', event.data.declinedAt);
        break;
      case 'ModificationExpired':
        await closeRound(event.data.version, 'expired', event.data.expiredAt);
        break;
      case 'SoldeValidated':
        set('engagement_retenu_cents', event.data.engagementRetenuCents);
        set('solde_decide_cents', event.data.soldeDecideCents);
        break;
      case 'SoldePaymentRecorded':
        set('solde_paye_cents', event.data.montantCents);
        break;
      case 'RecoveryOrderIssued':
        params.push(event.data.montantCents);
        sets.push(`recouvrement_cents = recouvrement_cents + $${params.length}`);
        break;
      default:
        break;
    }
    await tx.query(`UPDATE report_dossiers SET ${sets.join(', ')} WHERE numero_asp = $1`, params);
  },
});
