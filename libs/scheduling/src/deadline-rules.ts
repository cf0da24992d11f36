import type {
  ModificationDeclined,
  ModificationExpired,
  ModificationReminderSent,
  ModificationRequested,
  ModificationSubmitted,
} from '@segur/domain';
import type { RecordedEvent } from '@segur/event-store';
import { deadlineJobId, type DeadlineKind } from './deadline';

// The J+10 / J+20 rules, once: what each event of a modification round does to the round's rows of
// `deadlines`, applied by the live projection (set-based statements, deadlines.batch.ts), by a
// rebuild's fold (in memory, deadlines.fold.ts) and read for the timers' hints (afterCommit).
//
// - ModificationRequested inserts the round's REMINDER and EXPIRY rows, PENDING; a row already
//   there (a replayed request) stays as it is.
// - ModificationSubmitted and ModificationDeclined cancel the round's rows still PENDING.
// - ModificationExpired fires the EXPIRY row, then cancels the round's rows still PENDING: the round
//   is closed, so a reminder not yet sent must never go out after the expiry.
// - ModificationReminderSent fires the REMINDER row.
// - A fire is unconditional on status: the event is the fact. A row the firer marked CANCELLED after
//   a 'noop' (or that a race left PENDING) still ends FIRED when an event says so; the first
//   fired_at is kept, so a repeated event (or the firer's own mark before it) wins nothing.
//
// The operations carry the table's column names: the batched form sends them as they are, as JSON
// records (json_populate_recordset and json_to_recordset ignore the keys they do not name).

export interface InsertDeadline {
  op: 'insert';
  job_id: string;
  numero_asp: string;
  version: string;
  kind: DeadlineKind;
  /** ISO instant. */
  due_at: string;
  requested_event_id: string;
}

export interface FireDeadline {
  op: 'fire';
  job_id: string;
  numero_asp: string;
  version: string;
  /** ISO instant: the event's. */
  at: string;
}

/** Every row of the round still PENDING. */
export interface CancelRound {
  op: 'cancel';
  numero_asp: string;
  version: string;
  /** ISO instant: the event's. */
  at: string;
}

export type DeadlineOperation = InsertDeadline | FireDeadline | CancelRound;

export const DEADLINE_EVENT_TYPES = [
  'ModificationRequested',
  'ModificationSubmitted',
  'ModificationDeclined',
  'ModificationExpired',
  'ModificationReminderSent',
] as const;

interface Round {
  numeroAsp: string;
  version: string;
}

const insert = (kind: DeadlineKind, d: Round, dueAt: string, eventId: string): InsertDeadline => ({
  op: 'insert',
  job_id: deadlineJobId(kind, d.numeroAsp, d.version),
  numero_asp: d.numeroAsp,
  version: d.version,
  kind,
  due_at: dueAt,
  requested_event_id: eventId,
});

const fire = (kind: DeadlineKind, d: Round, at: string): FireDeadline => ({
  op: 'fire',
  job_id: deadlineJobId(kind, d.numeroAsp, d.version),
  numero_asp: d.numeroAsp,
  version: d.version,
  at,
});

const cancel = (d: Round, at: string): CancelRound => ({
  op: 'cancel',
  numero_asp: d.numeroAsp,
  version: d.version,
  at,
});

const NONE: readonly DeadlineOperation[] = [];

/** What `event` does to the deadlines, in order (see above); nothing for any other event. */
export const deadlineOperationsOf = (event: RecordedEvent): readonly DeadlineOperation[] => {
  switch (event.type) {
    case 'ModificationRequested': {
      const d = event.data as ModificationRequested['data'];
      return [insert('REMINDER', d, d.reminderDueAt, event.id), insert('EXPIRY', d, d.expiresAt, event.id)];
    }
    case 'ModificationSubmitted': {
      const d = event.data as ModificationSubmitted['data'];
      return [cancel(d, d.submittedAt)];
    }
    case 'ModificationDeclined': {
      const d = event.data as ModificationDeclined['data'];
      return [cancel(d, d.declinedAt)];
    }
    case 'ModificationExpired': {
      const d = event.data as ModificationExpired['data'];
      return [fire('EXPIRY', d, d.expiredAt), cancel(d, d.expiredAt)];
    }
    case 'ModificationReminderSent': {
      const d = event.data as ModificationReminderSent['data'];
      return [fire('REMINDER', d, d.sentAt)];
    }
    default:
      return NONE;
  }
};
