import { versionLabel } from '@segur/domain';
import { createTestSqlClient, type TestSqlClient } from '@segur/event-store';
import { getVersions } from '../../queries/versions.query';
import { ProjectionRunner } from '../../runner/projection-runner';
import {
  appendSteps,
  POULAT,
  poulatEditContact,
  poulatRequestM1,
  poulatSubmit,
  poulatUntilSolde,
  type Step,
} from '../../testing/garage-poulat.fixture';
import { InMemoryEventStore } from '../../testing/test-event-store';
import { createVersionsProjection, foldDraftEdit } from './versions.projection';

const asp = POULAT.numeroAsp;
const gest = { id: 'gest-2', role: 'gestionnaire' };
const request = (round: number, at: string): Step => ({
  actor: gest,
  event: {
    type: 'ModificationRequested',
    data: {
      numeroAsp: asp,
      version: versionLabel(round),
      round,
      commentaire: `round ${round}`,
      gestionnaireId: gest.id,
      requestedAt: at,
      reminderDueAt: at,
      expiresAt: at,
    },
  },
});

// PGlite boots in seconds on a busy 2-core machine.
jest.setTimeout(30_000);

describe(`versions read model (${process.env.TEST_DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
  let t: TestSqlClient;
  let store: InMemoryEventStore;
  let runner: ProjectionRunner;

  beforeAll(async () => {
    t = await createTestSqlClient('proj_versions');
    store = new InMemoryEventStore();
    runner = new ProjectionRunner(t.client, store, [createVersionsProjection()], {
      batchWindowMs: 2,
      pollIntervalMs: 20,
    });
    await runner.migrate();
    runner.start();
  });
  afterAll(async () => {
    await runner.stop();
    await store.close();
    await t.teardown();
  });

  it('lists the imported solde and every round with what changed, who, when and how it ended', async () => {
    const last = await appendSteps(store, [
      ...poulatUntilSolde(),
      ...poulatRequestM1(),
      ...poulatEditContact(),
      ...poulatSubmit(),
      request(2, '2023-09-01T08:00:00.000Z'),
      {
        actor: { id: 'assist-1', role: 'assistance' },
        event: {
          type: 'ModificationDeclined',
          data: {
            numeroAsp: asp,
            version: 'M2',
            declinedBy: 'assistance',
            declinedAt: '2023-09-02T08:00:00.000Z',
          },
        },
      },
      request(3, '2023-10-01T08:00:00.000Z'),
      {
        actor: { id: 'system', role: 'system' },
        event: {
          type: 'ModificationReminderSent',
          data: { numeroAsp: asp, version: 'M3', sentAt: '2023-10-11T08:00:00.000Z' },
        },
      },
      {
        actor: { id: 'system', role: 'system' },
        event: {
          type: 'ModificationExpired',
          data: { numeroAsp: asp, version: 'M3', expiredAt: '2023-10-21T08:00:00.000Z' },
        },
      },
      request(4, '2023-11-01T08:00:00.000Z'),
      ...poulatEditContact().map(
        (s) => ({ ...s, event: { ...s.event, data: { ...s.event.data, version: 'M4' } } }) as Step,
      ),
    ]);
    expect(await runner.waitForPosition(last, 5000)).toBe(true);

    const h = await getVersions(t.client, asp, { role: 'fournisseur', sirets: [POULAT.siret] });
    expect(h!.versions.map((v) => [v.numeroAspVersion, v.outcome, v.current])).toEqual([
      ['FINSAS008539', 'imported', false],
      ['FINSAS008539M1', 'submitted', true],
      ['FINSAS008539M2', 'declined', false],
      ['FINSAS008539M3', 'expired', false],
      ['FINSAS008539M4', 'open', false],
    ]);
    const [initial, m1, m2, m3, m4] = h!.versions;
    expect(initial).toMatchObject({
      requestedBy: { id: 'four-1', role: 'fournisseur' },
      dateDemande: '16/02/2023',
    });
    expect(initial!.piecesAdded.map((p) => p.type)).toEqual(['VA', 'FACTURE']);
    expect(m1).toMatchObject({
      commentaire: 'test modif',
      requestedBy: { id: 'gest-1', role: 'gestionnaire' },
      closedBy: { id: 'four-1', role: 'fournisseur' },
      closedAt: '2023-08-09T14:00:00.000Z',
      dateCloture: '09/08/2023',
      outcomeLabel: 'Modifications confirmées',
      changes: [{ field: 'contactSupport', from: 'pascal.breton@axyus.com', to: 'test123@gmail.com' }],
    });
    expect(m1!.piecesAdded.map((p) => p.nomFichier)).toEqual(['complement.pdf']);
    expect(m2).toMatchObject({
      closedBy: { id: 'assist-1', role: 'assistance' },
      changes: [],
      piecesAdded: [],
    });
    expect(m3).toMatchObject({ reminderSentAt: '2023-10-11T08:00:00.000Z', closedBy: { role: 'system' } });
    // The open round previews its draft.
    expect(m4!.changes).toEqual([
      { field: 'contactSupport', from: 'pascal.breton@axyus.com', to: 'test123@gmail.com' },
    ]);
    expect(m4!.piecesAdded).toHaveLength(1);
  });

  it('hides another fournisseur’s Historique', async () => {
    expect(await getVersions(t.client, asp, { role: 'fournisseur', sirets: ['80125271900415'] })).toBeNull();
    expect(await getVersions(t.client, asp, { role: 'auditeur' })).not.toBeNull();
  });

  it('folds successive draft edits into one change per field, dropping a field edited back', () => {
    let c = foldDraftEdit([], { field: 'contactSupport', from: 'a', to: 'b' });
    c = foldDraftEdit(c, { field: 'contactSupport', from: 'b', to: 'c' });
    expect(c).toEqual([{ field: 'contactSupport', from: 'a', to: 'c' }]);
    expect(foldDraftEdit(c, { field: 'contactSupport', from: 'c', to: 'a' })).toEqual([]);
  });
});
