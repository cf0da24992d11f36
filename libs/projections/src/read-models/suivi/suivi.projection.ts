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
import type { RebuildableProjection } from '../../rebuild-capability';
import { foldProjection, type DossierFold } from '../dossier-fold';
import { copyRows, loadRows, splitFresh } from '../row-batch';

// The row keeps the decider's own state (folded with the domain's `evolve`), so the page shows
// exactly what the next command will be decided on, and `allowedActions(state, role)` runs at
// query time. A change of DossierState's shape needs a rebuild, which is what rebuilds are for.
// A state's JSON is above the default 2 kB threshold, so PostgreSQL would pglz-compress it on
// every write (a large share of a row's write cost, and a decompression on every read); with
// toast_tuple_target at its maximum the row stays inline, uncompressed (tables created before this
// get it from their next rebuild). The state is `json`, not `jsonb`: it is only ever read whole, and
// json input merely checks the text where jsonb parses it into a tree (less PostgreSQL CPU on a
// rebuild's writes), and json output hands back the stored text. The suivi page, a prepared
// statement, reads it as `state::json`: its result type stays json whichever type the table has,
// so the swap that turns a jsonb table from before into a json one does not fail the pooled
// connections that prepared it ("cached plan must not change result type"). Until its next rebuild
// a jsonb table keeps working (assignment casts both ways).
export const SUIVI_MIGRATIONS: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS suivi_dossiers (
    numero_asp text PRIMARY KEY,
    siret text NOT NULL,
    couloir text NOT NULL,
    dsr text,
    champs_editables jsonb NOT NULL,
    stream_version integer NOT NULL,
    last_event_at timestamptz NOT NULL,
    state json NOT NULL
  ) WITH (toast_tuple_target = 8160)`,
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

const UPSERT_ONE = `INSERT INTO suivi_dossiers (numero_asp, siret, couloir, dsr, champs_editables, stream_version, last_event_at, state)
  VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7, $8::json)
  ON CONFLICT (numero_asp) DO UPDATE SET siret = excluded.siret, couloir = excluded.couloir, dsr = excluded.dsr,
    champs_editables = excluded.champs_editables, stream_version = excluded.stream_version,
    last_event_at = excluded.last_event_at, state = excluded.state`;

// Many rows: the small columns as one jsonb array, each column taken out of its element; the states
// apart, as one json array whose elements go in as they are. In the jsonb array they would be parsed
// into jsonb trees for nothing; a json array costs PostgreSQL about what a text split by
// string_to_array does, and one JSON.stringify of the array costs Node less than one per state
// joined into one text (see docs/performance.md, "Figures behind design choices").
const INSERT_MANY = `INSERT INTO suivi_dossiers (numero_asp, siret, couloir, dsr, champs_editables, stream_version, last_event_at, state)
  SELECT x->>'numero_asp', x->>'siret', x->>'couloir', x->>'dsr', x->'champs_editables', (x->>'stream_version')::integer,
         (x->>'last_event_at')::timestamptz, s.state
    FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS r(x, n)
    JOIN json_array_elements($2::json) WITH ORDINALITY AS s(state, n) ON s.n = r.n`;
/** INSERT_MANY over rows that may exist. Rows known not to (see DossierFold's `fresh`) skip the conflict check. */
const UPSERT_MANY = `${INSERT_MANY}
  ON CONFLICT (numero_asp) DO UPDATE SET siret = excluded.siret, couloir = excluded.couloir, dsr = excluded.dsr,
    champs_editables = excluded.champs_editables, stream_version = excluded.stream_version,
    last_event_at = excluded.last_event_at, state = excluded.state`;

const COLUMNS = [
  'numero_asp',
  'siret',
  'couloir',
  'dsr',
  'champs_editables',
  'stream_version',
  'last_event_at',
  'state',
] as const satisfies readonly (keyof SuiviRow)[];

/** UPSERT_MANY's parameters: the rows without their states, and the states. */
const manyParams = (rows: readonly SuiviRow[]): [string, string] => [
  JSON.stringify(
    rows.map((r) => ({
      numero_asp: r.numero_asp,
      siret: r.siret,
      couloir: r.couloir,
      dsr: r.dsr,
      champs_editables: r.champs_editables,
      stream_version: r.stream_version,
      last_event_at: r.last_event_at,
    })),
  ),
  JSON.stringify(rows.map((r) => r.state)),
];

interface Persisted {
  state: DossierState;
  streamVersion: number;
}

/**
 * One event folded onto what is persisted: the new row, or null when nothing is written. The
 * runner applies each event once; the version guard only makes a replay over rows harmless, and a
 * state without identity (events before the avance import) is never stored.
 */
const fold = (current: Persisted | undefined, event: RecordedEvent): Persisted | null => {
  if (current && current.streamVersion >= event.streamVersion) return null;
  const state = evolve(current?.state ?? initialState(), event as unknown as DossierEvent);
  return state.identity === null ? null : { state, streamVersion: event.streamVersion };
};

/**
 * The suivi read model per dossier: the live projection's, a rebuild's, and an as-of read's (the
 * same fold on events up to a point, held in memory, see as-of/suivi-as-of.ts).
 */
export interface SuiviFold extends DossierFold<SuiviRow> {
  /** The row of a dossier's state after `event` (its single-event path). */
  rowOf: (numeroAsp: string, state: DossierState, event: RecordedEvent) => SuiviRow;
}

export const createSuiviFold = (options: SuiviProjectionOptions = {}): SuiviFold => {
  const couloirs = options.couloirs ?? DEFAULT_COULOIRS;
  const rowOf = (numeroAsp: string, state: DossierState, event: RecordedEvent): SuiviRow => {
    const identity = state.identity!;
    const couloir = couloirs[identity.couloir];
    return {
      numero_asp: numeroAsp,
      siret: identity.siret,
      couloir: identity.couloir,
      dsr: couloir?.dsr ?? null,
      champs_editables: couloir?.champsEditables ?? Object.keys(state.champs),
      stream_version: event.streamVersion,
      last_event_at: event.recordedAt,
      state,
    };
  };
  const perDossier: DossierFold<SuiviRow> = {
    load: async (tx, keys) =>
      new Map((await loadRows<SuiviRow>(tx, 'suivi_dossiers', keys)).map((r) => [r.numero_asp, r])),
    fold: (row, numeroAsp, events) => {
      let current: Persisted | undefined = row && { state: row.state, streamVersion: row.stream_version };
      let lastWritten: RecordedEvent | null = null;
      for (const event of events) {
        const next = fold(current, event);
        if (next === null) continue;
        current = next;
        lastWritten = event;
      }
      return current === undefined || lastWritten === null
        ? undefined
        : rowOf(numeroAsp, current.state, lastWritten);
    },
    write: async (tx, rows, _extra, fresh) => {
      const { inserted, upserted } = splitFresh(rows, fresh);
      if (inserted.length > 0 && !(await copyRows(tx, 'suivi_dossiers', COLUMNS, inserted)))
        await tx.query(INSERT_MANY, manyParams(inserted));
      if (upserted.length > 0) await tx.query(UPSERT_MANY, manyParams(upserted));
    },
  };
  return { ...perDossier, rowOf };
};

export const createSuiviProjection = (options: SuiviProjectionOptions = {}): RebuildableProjection => {
  const { rowOf, ...perDossier } = createSuiviFold(options);
  // Whole state per dossier: read once per batch (or held across batches by a rebuild), folded
  // in memory, written once per batch (or per flush). A single event reads and writes its one row.
  return {
    ...foldProjection(perDossier, {
      name: SUIVI_PROJECTION,
      migrations: SUIVI_MIGRATIONS,
      tables: ['suivi_dossiers'],
      eventTypes: DOSSIER_EVENT_TYPES,
      metadataKeys: [],
    }),
    async apply(tx: SqlExecutor, event: RecordedEvent): Promise<void> {
      if (!event.streamId.startsWith('dossier-')) return;
      const numeroAsp = numeroAspOfStream(event.streamId);
      const current = await tx.query<{ state: DossierState; stream_version: number }>(
        'SELECT state, stream_version FROM suivi_dossiers WHERE numero_asp = $1',
        [numeroAsp],
      );
      const row = current.rows[0];
      const next = fold(row && { state: row.state, streamVersion: row.stream_version }, event);
      if (!next) return;
      const r = rowOf(numeroAsp, next.state, event);
      await tx.query(UPSERT_ONE, [
        r.numero_asp,
        r.siret,
        r.couloir,
        r.dsr,
        JSON.stringify(r.champs_editables),
        r.stream_version,
        r.last_event_at,
        JSON.stringify(r.state),
      ]);
    },
  };
};
