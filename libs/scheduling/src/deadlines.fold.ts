import type { SqlExecutor } from '@segur/event-store';
import { loadRows, writeRows, type DossierFold } from '@segur/projections';
import type { DeadlineKind, DeadlineStatus } from './deadline';
import { deadlineOperationsOf, type DeadlineOperation } from './deadline-rules';

// A rebuild's form of the deadlines projection: a dossier's rows folded in memory and written once,
// in their final state, instead of inserted then updated by every later event of their round (each
// update a new row version and index entries: PostgreSQL CPU a rebuild's many rows make measurable,
// see docs/performance.md). The operations are those of deadline-rules.ts, each applied to the rows
// as deadlines.batch.ts's statement of its kind applies it to the table; the rebuild spec
// (deadlines.rebuild.int.spec.ts) checks that both leave the same table. Only a rebuild's private
// shadow table may be written this way: live, the firer updates the same rows.

/** A `deadlines` row as written (timestamps as ISO text, or as read back). */
export interface DeadlineTableRow {
  job_id: string;
  numero_asp: string;
  version: string;
  kind: DeadlineKind;
  due_at: string | Date;
  status: DeadlineStatus;
  fired_at: string | Date | null;
  cancelled_at: string | Date | null;
  attempts: number;
  last_error: string | null;
  not_before: string | Date | null;
  requested_event_id: string;
}

const COLUMNS = [
  'job_id',
  'numero_asp',
  'version',
  'kind',
  'due_at',
  'status',
  'fired_at',
  'cancelled_at',
  'attempts',
  'last_error',
  'not_before',
  'requested_event_id',
] as const satisfies readonly (keyof DeadlineTableRow)[];

/** One dossier's rows, in the order they were inserted. */
export interface DossierDeadlines {
  numero_asp: string;
  rows: readonly DeadlineTableRow[];
}

/** One operation on a dossier's rows, as deadlines.batch.ts's statement of its kind; false if it changed nothing. */
const applyOperation = (rows: DeadlineTableRow[], op: DeadlineOperation): boolean => {
  switch (op.op) {
    case 'insert':
      // ON CONFLICT DO NOTHING: a row already there stays as it is.
      if (rows.some((r) => r.job_id === op.job_id)) return false;
      rows.push({
        job_id: op.job_id,
        numero_asp: op.numero_asp,
        version: op.version,
        kind: op.kind,
        due_at: op.due_at,
        status: 'PENDING',
        fired_at: null,
        cancelled_at: null,
        attempts: 0,
        last_error: null,
        not_before: null,
        requested_event_id: op.requested_event_id,
      });
      return true;
    case 'fire': {
      const i = rows.findIndex((r) => r.job_id === op.job_id);
      if (i < 0) return false;
      const r = rows[i]!;
      rows[i] = {
        ...r,
        status: 'FIRED',
        fired_at: r.fired_at ?? op.at,
        cancelled_at: null,
        not_before: null,
      };
      return true;
    }
    case 'cancel': {
      let changed = false;
      for (let i = 0; i < rows.length; i++) {
        const r = rows[i]!;
        if (r.version !== op.version || r.status !== 'PENDING') continue;
        rows[i] = { ...r, status: 'CANCELLED', cancelled_at: op.at, not_before: null };
        changed = true;
      }
      return changed;
    }
  }
};

export const deadlinesFold: DossierFold<DossierDeadlines> = {
  load: async (tx, keys) => {
    const out = new Map<string, { numero_asp: string; rows: DeadlineTableRow[] }>();
    for (const r of await loadRows<DeadlineTableRow>(tx, 'deadlines', keys)) {
      let d = out.get(r.numero_asp);
      if (!d) out.set(r.numero_asp, (d = { numero_asp: r.numero_asp, rows: [] }));
      d.rows.push(r);
    }
    return out;
  },
  fold: (state, numeroAsp, events) => {
    // A copy: a state being written in the background is never changed (see FoldSession).
    const rows = state ? [...state.rows] : [];
    let changed = false;
    for (const event of events)
      for (const op of deadlineOperationsOf(event)) if (applyOperation(rows, op)) changed = true;
    return changed ? { numero_asp: numeroAsp, rows } : undefined;
  },
  write: (tx: SqlExecutor, changed, _extra, fresh) =>
    writeRows(
      tx,
      'deadlines',
      ['job_id'],
      COLUMNS,
      changed.flatMap((d) => d.rows),
      fresh,
    ),
};
