import { upsertFournisseur } from '@segur/projections';
import { GARAGE_POULAT, seedSoldeEnCours } from '../support/seed-dossiers';
import { startTestApp, type TestApp } from '../support/test-app';
import { waitFor } from '../webhooks/receiver';

jest.setTimeout(60_000);

const SIRET = GARAGE_POULAT.siret;
const IBAN_1 = 'FR7630006000011234567890189';
const IBAN_2 = 'FR7610107001011234567890129';

const enrolment = (over: Record<string, unknown> = {}) => ({
  numeroAns: GARAGE_POULAT.numeroAns,
  denominationSociale: 'GARAGE POULAT',
  adresse: { ligne: '0 cour DE MONS', codePostal: '59650', commune: 'VILLENEUVE D ASCQ' },
  email: 'compta@poulat.example',
  iban: IBAN_1,
  bic: 'BNPAFRPPXXX',
  ...over,
});

describe('Enrolment changes are audited: a stream per fournisseur, read by auditors', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({}, { worker: true });
  });
  afterAll(() => t.close());

  const put = (sub: string, body: unknown, siret = SIRET) =>
    t
      .http()
      .put(`/api/v1/fournisseurs/${siret}`)
      .auth(t.token('assistance', undefined, sub), { type: 'bearer' })
      .send(body as object);

  const history = (token: string, siret = SIRET) =>
    t.http().get(`/api/v1/fournisseurs/${siret}/historique`).auth(token, { type: 'bearer' });

  it('each change with its actor and the value it replaced; an identical enrolment records nothing', async () => {
    expect((await put('assistance-alice', enrolment())).status).toBe(201);
    expect(
      (await put('assistance-bob', enrolment({ iban: IBAN_2, email: 'nouveau@poulat.example' }))).status,
    ).toBe(200);
    expect(
      (await put('assistance-bob', enrolment({ iban: IBAN_2, email: 'nouveau@poulat.example' }))).status,
    ).toBe(200);

    const res = await history(t.token('auditeur'));
    expect(res.status).toBe(200);
    expect(res.body).toHaveLength(2);
    expect(res.body[0]).toMatchObject({ type: 'FournisseurEnrolled', actor: { id: 'assistance-alice' } });
    expect(res.body[0].changes).toContainEqual({ field: 'iban', from: null, to: IBAN_1 });
    expect(res.body[1]).toEqual({
      type: 'FournisseurEnrolmentChanged',
      at: expect.any(String),
      actor: { id: 'assistance-bob', role: 'assistance' },
      changes: [
        { field: 'email', from: 'compta@poulat.example', to: 'nouveau@poulat.example' },
        { field: 'iban', from: IBAN_1, to: IBAN_2 },
      ],
    });
    // The current values are the last ones.
    const current = await t
      .http()
      .get(`/api/v1/fournisseurs/${SIRET}`)
      .auth(t.token('assistance'), { type: 'bearer' });
    expect(current.body.email).toBe('nouveau@poulat.example');
  });

  it('only auditeur and assistance read the history', async () => {
    expect((await history(t.token('assistance'))).status).toBe(200);
    for (const token of [t.token('fournisseur', SIRET), t.token('gestionnaire'), t.token('service')])
      expect((await history(token)).status).toBe(403);
    expect((await t.http().get(`/api/v1/fournisseurs/${SIRET}/historique`)).status).toBe(401);
    expect((await history(t.token('auditeur'), '12345678900007')).status).toBe(404);
  });

  it('a fournisseur enrolled before the history: its first change keeps the stored value as the previous one', async () => {
    const siret = '80125271900415';
    await upsertFournisseur(t.infra.sql, { siret, ...enrolment({ numeroAns: 'zbuPHA0005' }) });
    expect(
      (await put('assistance-carole', enrolment({ numeroAns: 'zbuPHA0005', bic: 'AGRIFRPPXXX' }), siret))
        .status,
    ).toBe(200);
    const res = await history(t.token('auditeur'), siret);
    expect(res.body).toEqual([
      expect.objectContaining({ changes: [{ field: 'bic', from: 'BNPAFRPPXXX', to: 'AGRIFRPPXXX' }] }),
    ]);
  });

  it('the feed and the projections are not disturbed: dossier events only, projections keep up', async () => {
    const seeded = await seedSoldeEnCours(t.infra);
    const feed = await t.http().get('/api/v1/events?limit=1000').auth(t.token('service'), { type: 'bearer' });
    expect(feed.status).toBe(200);
    const types = (
      feed.text
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l)) as { type: string }[]
    ).map((e) => e.type);
    expect(types).toContain('AvanceImported');
    expect(types.filter((t) => t.startsWith('Fournisseur'))).toEqual([]);
    // Every projection got past the fournisseur events to the dossier's.
    await waitFor('suivi projeté', async () => {
      const r = await t
        .http()
        .get(`/api/v1/dossiers/${GARAGE_POULAT.numeroAsp}`)
        .set('X-Min-Position', seeded.position ?? '')
        .auth(t.token('gestionnaire'), { type: 'bearer' });
      return r.status === 200;
    });
  });
});
