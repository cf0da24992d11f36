import type {
  ModificationDeclined,
  ModificationExpired,
  ModificationReminderSent,
  ModificationRequested,
  ModificationSubmitted,
} from '@segur/domain';
import type { RecordedEvent, SqlExecutor } from '@segur/event-store';
import { loadRows, writeRows, type DossierFold } from '@segur/projections';
import { deadlineJobId, type DeadlineKind, type DeadlineStatus } from './deadline';

// A rebuild's form of the deadlines projection: a dossier's rows folded in memory and written once,
// in their final state, instead of inserted then updated by every later event of their round (each
// update a new row version and index entries: on the 1M-event bench, ~2 s of PostgreSQL CPU for
// 208,000 rows). The rules are those of applyDeadlinesBatch's statements, row by row; the rebuild
// spec (deadlines.rebuild.int.spec.ts) checks that both leave the same table. Only a rebuild's
// private shadow table may be written this way: live, the firer updates the same rows.

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

/** INSERT … ON CONFLICT DO NOTHING: a row already there stays as it is. */
const requested = (rows: DeadlineTableRow[], event: RecordedEvent): boolean => {
  const d = event.data as ModificationRequested['data'];
  let changed = false;
  for (const [kind, dueAt] of [
    ['REMINDER', d.reminderDueAt],
    ['EXPIRY', d.expiresAt],
  ] as const) {
    const jobId = deadlineJobId(kind, d.numeroAsp, d.version);
    if (rows.some((r) => r.job_id === jobId)) continue;
    rows.push({
      job_id: jobId,
      numero_asp: d.numeroAsp,
      version: d.version,
      kind,
      due_at: dueAt,
      status: 'PENDING',
      fired_at: null,
      cancelled_at: null,
      attempts: 0,
      last_error: null,
      not_before: null,
      requested_event_id: event.id,
    });
    changed = true;
  }
  return changed;
};

/** FIRE: the row, whatever its status, FIRED at its first firing. */
const fire = (rows: DeadlineTableRow[], jobId: string, at: string): boolean => {
  const i = rows.findIndex((r) => r.job_id === jobId);
  if (i < 0) return false;
  const r = rows[i]!;
  rows[i] = { ...r, status: 'FIRED', fired_at: r.fired_at ?? at, cancelled_at: null, not_before: null };
  return true;
};

/** CANCEL: the round's rows still PENDING. */
const cancel = (rows: DeadlineTableRow[], version: string, at: string): boolean => {
  let changed = false;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    if (r.version !== version || r.status !== 'PENDING') continue;
    rows[i] = { ...r, status: 'CANCELLED', cancelled_at: at, not_before: null };
    changed = true;
  }
  return changed;
};

const foldEvent = (rows: DeadlineTableRow[], event: RecordedEvent): boolean => {
  switch (event.type) {
    case 'ModificationRequested':
      return requested(rows, event);
    case 'ModificationSubmitted': {
      const d = event.data as ModificationSubmitted['data'];
      return cancel(rows, d.version, d.submittedAt);
    }
    case 'ModificationDeclined': {
      const d = event.data as ModificationDeclined['data'];
      return cancel(rows, d.version, d.declinedAt);
    }
    case 'ModificationExpired': {
      const d = event.data as ModificationExpired['data'];
      const fired = fire(rows, deadlineJobId('EXPIRY', d.numeroAsp, d.version), d.expiredAt);
      // The round is closed: a reminder not yet sent must never go out after the expiry.
      return cancel(rows, d.version, d.expiredAt) || fired;
    }
    case 'ModificationReminderSent': {
      const d = event.data as ModificationReminderSent['data'];
      return fire(rows, deadlineJobId('REMINDER', d.numeroAsp, d.version), d.sentAt);
    }
    default:
      return false;
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
    for (const event of events) if (foldEvent(rows, event)) changed = true;
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
