import { createTestSqlClient, type TestSqlClient } from '@segur/event-store';
import { upsertFournisseur } from '../read-models/fournisseurs/fournisseurs.read-model';
import { createListsProjection } from '../read-models/lists/lists.projection';
import { createReportingProjection } from '../read-models/reporting/reporting.projection';
import { ProjectionRunner } from '../runner/projection-runner';
import { appendSteps, POULAT_FOURNISSEUR } from '../testing/garage-poulat.fixture';
import { FOURNISSEUR_B, SIRET_A, SIRET_B, smallDataset } from '../testing/small-dataset.fixture';
import { InMemoryEventStore } from '../testing/test-event-store';
import { modificationsToCsv, summaryToCsv } from './csv';
import { InvalidCursorError, listDossiers, type ListFilters } from './list.query';
import { reportModifications, reportSummary } from './reporting.query';
import type { Viewer } from '../read-models/suivi/suivi.page';

// PGlite boots in seconds on a busy 2-core machine.
jest.setTimeout(30_000);

describe(`lists and reporting (${process.env.TEST_DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
  let t: TestSqlClient;
  let store: InMemoryEventStore;
  let runner: ProjectionRunner;
  const gestionnaire: Viewer = { role: 'gestionnaire' };
  const now = new Date('2023-09-01T00:00:00.000Z');

  beforeAll(async () => {
    t = await createTestSqlClient('proj_lists');
    store = new InMemoryEventStore();
    runner = new ProjectionRunner(t.client, store, [createListsProjection(), createReportingProjection()], {
      batchWindowMs: 2,
      pollIntervalMs: 20,
    });
    await runner.migrate();
    await upsertFournisseur(t.client, POULAT_FOURNISSEUR);
    await upsertFournisseur(t.client, FOURNISSEUR_B);
    runner.start();
    expect(await runner.waitForPosition(await appendSteps(store, smallDataset()), 5000)).toBe(true);
  });
  afterAll(async () => {
    await runner.stop();
    await store.close();
    await t.teardown();
  });

  const asps = async (filters: ListFilters, viewer: Viewer = gestionnaire): Promise<string[]> =>
    (await listDossiers(t.client, { limit: 200, ...filters }, viewer, { now })).items.map((i) => i.numeroAsp);

  it('filters by statut, couloir, phase, text and overdue round', async () => {
    expect(await asps({ statut: 'A_MODIFIER' })).toEqual(['FINSAS000001']);
    expect((await asps({ statut: ['EN_COURS'], phase: 'SOLDE' })).sort()).toEqual([
      'FINMSS000006',
      'FINSAS000002',
      'FINSAS000005',
    ]);
    expect((await asps({ couloir: 'PHA' })).sort()).toEqual(['FINPHA000003', 'FINPHA000004']);
    expect(await asps({ phase: 'AVANCE' })).toEqual(['FINPHA000004']);
    expect((await asps({ q: 'pharma' })).sort()).toEqual(['FINPHA000003', 'FINPHA000004', 'FINSAS000005']);
    expect(await asps({ q: 'sas000002' })).toEqual(['FINSAS000002']);
    expect((await asps({ q: SIRET_A.slice(0, 9) })).length).toBe(3);
    expect(await asps({ q: '100%_' })).toEqual([]);
    expect(await asps({ overdue: true })).toEqual(['FINSAS000001']);
    const [item] = (await listDossiers(t.client, { statut: 'A_MODIFIER' }, gestionnaire, { now })).items;
    expect(item).toMatchObject({
      denominationSociale: 'GARAGE POULAT',
      statutLabel: 'A modifier',
      dateChangementStatut: '07/08/2023',
      openRound: 'M1',
      hasOverdueRound: true,
      montant: { cents: 10_000_000, formatted: '100000,00' },
    });
  });

  it('pages with an opaque keyset cursor, newest status change first, no row twice', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await listDossiers(t.client, { limit: 4, cursor }, gestionnaire, { now });
      seen.push(...page.items.map((i) => i.numeroAsp));
      cursor = page.nextCursor;
      pages++;
    } while (cursor !== null);
    expect(pages).toBe(2);
    expect(seen).toEqual(await asps({}));
    expect(new Set(seen).size).toBe(6);
    expect(seen[0]).toBe('FINPHA000003'); // validated on 15/09/2023: the latest change
    await expect(listDossiers(t.client, { cursor: 'not-a-cursor' }, gestionnaire)).rejects.toBeInstanceOf(
      InvalidCursorError,
    );
  });

  it('restricts a fournisseur to its own SIRETs', async () => {
    expect((await asps({}, { role: 'fournisseur', sirets: [SIRET_B] })).sort()).toEqual([
      'FINPHA000003',
      'FINPHA000004',
      'FINSAS000005',
    ]);
    expect(await asps({ q: 'POULAT' }, { role: 'fournisseur', sirets: [SIRET_B] })).toEqual([]);
    expect(await asps({}, { role: 'fournisseur' })).toEqual([]);
  });

  it('sums counts and amounts by couloir, phase and statut', async () => {
    const s = await reportSummary(t.client);
    expect(s.rows.map((r) => [r.couloir, r.phase, r.statut, r.nombre, r.montantDemandeCents])).toEqual([
      ['MSS', 'SOLDE', 'EN_COURS', 1, 10_000_000],
      ['PHA', 'AVANCE', 'EN_COURS', 1, 10_000_000],
      ['PHA', 'SOLDE', 'VALIDEE', 1, 10_000_000],
      ['SAS', 'SOLDE', 'A_MODIFIER', 1, 10_000_000],
      ['SAS', 'SOLDE', 'EN_COURS', 2, 20_000_000],
    ]);
    expect(s.total).toMatchObject({
      nombre: 6,
      montantDemandeCents: 60_000_000,
      soldeDecideCents: 7_000_000,
    });
    expect(s.parStatut.map((x) => [x.statut, x.nombre])).toEqual([
      ['EN_COURS', 4],
      ['A_MODIFIER', 1],
      ['VALIDEE', 1],
    ]);
    expect(s.parCouloir.map((x) => [x.couloir, x.nombre])).toEqual([
      ['MSS', 1],
      ['PHA', 2],
      ['SAS', 3],
    ]);
    const csv = summaryToCsv(s, { bom: false });
    expect(csv.split('\r\n')[0]).toBe(
      'Couloir;Phase;Statut;Nombre de dossiers;Montant demandé (€);Avance payée (€);Engagement retenu (€);Solde décidé (€);Solde payé (€);Ordres de recouvrement (€)',
    );
    expect(csv).toContain('PHA;Demande de solde;Validée;1;100000,00;0,00;100000,00;70000,00;0,00;0,00\r\n');
  });

  it('counts modification rounds by outcome with median and p90 time to submit', async () => {
    const m = await reportModifications(t.client);
    expect(m.total).toEqual({
      couloir: null,
      opened: 5,
      submitted: 2,
      declined: 1,
      expired: 1,
      open: 1,
      medianSecondsToSubmit: 140_400, // between 24 h and 54 h
      p90SecondsToSubmit: 183_600,
    });
    expect(
      m.parCouloir.map((c) => [
        c.couloir,
        c.opened,
        c.submitted,
        c.declined,
        c.expired,
        c.open,
        c.medianSecondsToSubmit,
      ]),
    ).toEqual([
      ['MSS', 1, 0, 0, 1, 0, null],
      ['PHA', 1, 1, 0, 0, 0, 86_400],
      ['SAS', 3, 1, 1, 0, 1, 194_400],
    ]);
    expect(modificationsToCsv(m, { bom: false }).split('\r\n').at(-2)).toBe('Tous;5;2;1;1;1;140400;183600');
    // Rounds over time: every round in the month it was requested (Europe/Paris), months in order.
    expect(m.parMois.every((x) => /^\d{4}-\d{2}$/.test(x.mois))).toBe(true);
    expect(m.parMois.map((x) => x.mois)).toEqual([...m.parMois.map((x) => x.mois)].sort());
    expect(m.parMois.reduce((n, x) => n + x.opened, 0)).toBe(5);
    expect(m.parMois.reduce((n, x) => n + x.expired, 0)).toBe(1);
  });
});
