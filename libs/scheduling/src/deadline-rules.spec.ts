import type {
  ModificationDeclined,
  ModificationExpired,
  ModificationReminderSent,
  ModificationRequested,
  ModificationSubmitted,
  SoldeValidated,
} from '@segur/domain';
import { deadlineOperationsOf } from './deadline-rules';
import { deadlinesFold, type DossierDeadlines } from './deadlines.fold';
import { recorded } from './testing/deadline-fixtures';

const numeroAsp = 'FINSAS008539';
const round = { numeroAsp, version: 'M1' };
const requested = recorded<ModificationRequested>('ModificationRequested', {
  ...round,
  round: 1,
  commentaire: 'test modif',
  gestionnaireId: 'g1',
  requestedAt: '2023-08-07T08:00:00.000Z',
  reminderDueAt: '2023-08-17T08:00:00.000Z',
  expiresAt: '2023-08-27T08:00:00.000Z',
});
const reminded = recorded<ModificationReminderSent>('ModificationReminderSent', {
  ...round,
  sentAt: '2023-08-17T08:00:01.000Z',
});
const expired = recorded<ModificationExpired>('ModificationExpired', {
  ...round,
  expiredAt: '2023-08-27T08:00:02.000Z',
});
const submitted = recorded<ModificationSubmitted>('ModificationSubmitted', {
  ...round,
  changes: [],
  piecesAdded: [],
  submittedAt: '2023-08-09T14:00:00.000Z',
});
const declined = recorded<ModificationDeclined>('ModificationDeclined', {
  ...round,
  declinedBy: 'fournisseur',
  declinedAt: '2023-08-08T08:00:00.000Z',
});

/** The rows a round's events leave, by the rebuild's fold (the live statements are compared with it by deadlines.rebuild.int.spec.ts). */
const rowsAfter = (...events: (typeof requested)[]): string[] => {
  const state = deadlinesFold.fold(undefined, numeroAsp, events, []) as DossierDeadlines;
  return state.rows.map((r) => `${r.kind}:${r.status}:${String(r.fired_at ?? r.cancelled_at)}`);
};

describe('deadlineOperationsOf (J+10 / J+20)', () => {
  it('a request inserts the reminder and the expiry of its round', () => {
    expect(deadlineOperationsOf(requested)).toEqual([
      {
        op: 'insert',
        job_id: 'reminder-FINSAS008539-M1',
        numero_asp: numeroAsp,
        version: 'M1',
        kind: 'REMINDER',
        due_at: '2023-08-17T08:00:00.000Z',
        requested_event_id: requested.id,
      },
      {
        op: 'insert',
        job_id: 'expiry-FINSAS008539-M1',
        numero_asp: numeroAsp,
        version: 'M1',
        kind: 'EXPIRY',
        due_at: '2023-08-27T08:00:00.000Z',
        requested_event_id: requested.id,
      },
    ]);
  });

  it('a submission or a refusal cancels the round at its instant', () => {
    expect(deadlineOperationsOf(submitted)).toEqual([
      { op: 'cancel', numero_asp: numeroAsp, version: 'M1', at: '2023-08-09T14:00:00.000Z' },
    ]);
    expect(deadlineOperationsOf(declined)).toEqual([
      { op: 'cancel', numero_asp: numeroAsp, version: 'M1', at: '2023-08-08T08:00:00.000Z' },
    ]);
  });

  it('an expiry fires the expiry, then cancels the round; a reminder fires the reminder', () => {
    expect(deadlineOperationsOf(expired).map((o) => o.op)).toEqual(['fire', 'cancel']);
    expect(deadlineOperationsOf(expired)[0]).toMatchObject({ job_id: 'expiry-FINSAS008539-M1' });
    expect(deadlineOperationsOf(reminded)).toEqual([
      {
        op: 'fire',
        job_id: 'reminder-FINSAS008539-M1',
        numero_asp: numeroAsp,
        version: 'M1',
        at: '2023-08-17T08:00:01.000Z',
      },
    ]);
  });

  it('any other event does nothing, with no allocation', () => {
    const validated = recorded<SoldeValidated>('SoldeValidated', {
      numeroAsp,
      engagementRetenuCents: 1,
      soldeDecideCents: 1,
      decisionModificative: null,
      gestionnaireId: 'g1',
      validatedAt: '2023-09-01T08:00:00.000Z',
    });
    expect(deadlineOperationsOf(validated)).toEqual([]);
    expect(deadlineOperationsOf(validated)).toBe(deadlineOperationsOf(validated));
  });

  it('never sends a reminder after the expiry, and a fire keeps the first instant whatever the status', () => {
    expect(rowsAfter(requested, expired)).toEqual([
      'REMINDER:CANCELLED:2023-08-27T08:00:02.000Z',
      'EXPIRY:FIRED:2023-08-27T08:00:02.000Z',
    ]);
    expect(rowsAfter(requested, reminded, expired, expired)).toEqual([
      'REMINDER:FIRED:2023-08-17T08:00:01.000Z',
      'EXPIRY:FIRED:2023-08-27T08:00:02.000Z',
    ]);
    // A reminder the round's closing cancelled still ends FIRED when its event says so.
    expect(rowsAfter(requested, submitted, reminded)).toEqual([
      'REMINDER:FIRED:2023-08-17T08:00:01.000Z',
      'EXPIRY:CANCELLED:2023-08-09T14:00:00.000Z',
    ]);
  });
});
