import {
  DEFAULT_COULOIRS,
  DOSSIER_EVENT_TYPES,
  evolve,
  initialState,
  numeroAspOfStream,
  type CouloirsConfig,
  type DossierEvent,
  type DossierState,
} from '@segur/domain';
import type { RecordedEvent, SqlExecutor } from '@segur/event-store';
import type { Projection } from '../../projection';

// The row keeps the decider's own state (folded with the domain's `evolve`), so the page shows
// exactly what the next command will be decided on, and `allowedActions(state, role)` runs at
// query time. A change of DossierState's shape needs a rebuild, which is what rebuilds are for.
export const SUIVI_MIGRATIONS: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS suivi_dossiers (
    numero_asp text PRIMARY KEY,
    siret text NOT NULL,
    couloir text NOT NULL,
    dsr text,
    champs_editables jsonb NOT NULL,
    stream_version integer NOT NULL,
    last_event_at timestamptz NOT NULL,
    state jsonb NOT NULL
  )`,
  'CREATE INDEX IF NOT EXISTS suivi_dossiers_siret_idx ON suivi_dossiers (siret)',
];

export interface SuiviRow {
  numero_asp: string;
  siret: string;
  couloir: string;
  dsr: string | null;
  champs_editables: string[];
  stream_version: number;
  last_event_at: string | Date;
  state: DossierState;
}

export interface SuiviProjectionOptions {
  /** DSR label and editable fields per couloir (COULOIRS_FILE). */
  couloirs?: CouloirsConfig;
}

export const SUIVI_PROJECTION = 'suivi';

export const createSuiviProjection = (options: SuiviProjectionOptions = {}): Projection => {
  const couloirs = options.couloirs ?? DEFAULT_COULOIRS;
  return {
    name: SUIVI_PROJECTION,
    migrations: SUIVI_MIGRATIONS,
    tables: ['suivi_dossiers'],
    eventTypes: DOSSIER_EVENT_TYPES,
    async apply(tx: SqlExecutor, event: RecordedEvent): Promise<void> {
      if (!event.streamId.startsWith('dossier-')) return;
      const numeroAsp = numeroAspOfStream(event.streamId);
      const current = await tx.query<{ state: DossierState; stream_version: number }>(
        'SELECT state, stream_version FROM suivi_dossiers WHERE numero_asp = $1',
        [numeroAsp],
      );
      const row = current.rows[0];
      // The runner applies each event once; this guard only makes a replay over rows harmless.
      if (row && row.stream_version >= event.streamVersion) return;
      const state = evolve(row?.state ?? initialState(), event as unknown as DossierEvent);
      if (state.identity === null) return;
      const couloir = couloirs[state.identity.couloir];
      await tx.query(
        `INSERT INTO suivi_dossiers (numero_asp, siret, couloir, dsr, champs_editables, stream_version, last_event_at, state)
         VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7, $8::jsonb)
         ON CONFLICT (numero_asp) DO UPDATE SET siret = excluded.siret, couloir = excluded.couloir, dsr = excluded.dsr,
           champs_editables = excluded.champs_editables, stream_version = excluded.stream_version,
           last_event_at = excluded.last_event_at, state = excluded.state`,
        [
          numeroAsp,
          state.identity.siret,
          state.identity.couloir,
          couloir?.dsr ?? null,
          JSON.stringify(couloir?.champsEditables ?? Object.keys(state.champs)),
          event.streamVersion,
          event.recordedAt,
          JSON.stringify(state),
        ],
      );
    },
  };
};
