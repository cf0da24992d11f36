import { numeroAspOfStream, type DossierEvent } from '@segur/domain';
import type { RecordedEvent, SqlExecutor } from '@segur/event-store';
import type { Projection } from '../../projection';
import { STATUS_EVENT_TYPES, statusChangeOf } from '../status-change';

// GET /dossiers: one narrow row per dossier with the columns lists filter and sort on. The
// dénomination sociale is joined from `fournisseurs` at query time (enrolment is not an event).
export const LISTS_MIGRATIONS: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS dossier_list (
    numero_asp text PRIMARY KEY,
    siret text NOT NULL,
    numero_ans text NOT NULL,
    couloir text NOT NULL,
    phase text NOT NULL,
    statut text NOT NULL,
    status_changed_at timestamptz NOT NULL,
    date_depot timestamptz NOT NULL,
    montant_cents bigint NOT NULL,
    open_round text,
    reminder_due_at timestamptz,
    reminder_sent boolean NOT NULL DEFAULT false,
    expires_at timestamptz,
    stream_version integer NOT NULL
  )`,
  'CREATE INDEX IF NOT EXISTS dossier_list_order_idx ON dossier_list (status_changed_at DESC, numero_asp DESC)',
  'CREATE INDEX IF NOT EXISTS dossier_list_siret_idx ON dossier_list (siret)',
  'CREATE INDEX IF NOT EXISTS dossier_list_statut_idx ON dossier_list (statut, couloir)',
  'CREATE INDEX IF NOT EXISTS dossier_list_expires_idx ON dossier_list (expires_at) WHERE open_round IS NOT NULL',
];

export const LISTS_PROJECTION = 'lists';

export const createListsProjection = (): Projection => ({
  name: LISTS_PROJECTION,
  migrations: LISTS_MIGRATIONS,
  tables: ['dossier_list'],
  eventTypes: [...STATUS_EVENT_TYPES, 'ModificationReminderSent'],
  async apply(tx: SqlExecutor, recorded: RecordedEvent): Promise<void> {
    if (!recorded.streamId.startsWith('dossier-')) return;
    const numeroAsp = numeroAspOfStream(recorded.streamId);
    const event = recorded as unknown as DossierEvent;
    if (event.type === 'AvanceImported') {
      const d = event.data;
      await tx.query(
        `INSERT INTO dossier_list (numero_asp, siret, numero_ans, couloir, phase, statut, status_changed_at, date_depot,
           montant_cents, stream_version)
         VALUES ($1, $2, $3, $4, 'AVANCE', 'EN_COURS', $5, $5, $6, $7) ON CONFLICT (numero_asp) DO NOTHING`,
        [
          numeroAsp,
          d.siret,
          d.numeroAns,
          d.couloir,
          d.importedAt,
          d.bonDeCommande.montantCents,
          recorded.streamVersion,
        ],
      );
      return;
    }
    const r = await tx.query<{ open_round: string | null; stream_version: number }>(
      'SELECT open_round, stream_version FROM dossier_list WHERE numero_asp = $1',
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
      set('status_changed_at', change.at);
      if (change.phase) set('phase', change.phase);
    }
    switch (event.type) {
      case 'SoldeImported':
        set('date_depot', event.data.importedAt);
        set('montant_cents', event.data.facture.montantCents);
        break;
      case 'ModificationRequested':
        set('open_round', event.data.version);
        set('reminder_due_at', event.data.reminderDueAt);
        set('expires_at', event.data.expiresAt);
        set('reminder_sent', false);
        break;
      case 'ModificationReminderSent':
        if (row.open_round === event.data.version) set('reminder_sent', true);
        break;
      case 'ModificationSubmitted':
      case 'ModificationDeclined':
      case 'ModificationExpired':
        if (row.open_round === event.data.version) {
          set('open_round', null);
          set('reminder_due_at', null);
          set('expires_at', null);
          set('reminder_sent', false);
        }
        break;
      default:
        break;
    }
    await tx.query(`UPDATE dossier_list SET ${sets.join(', ')} WHERE numero_asp = $1`, params);
  },
});
