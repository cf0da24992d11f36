import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestApp, type TestApp } from '../support/test-app';
import { GARAGE_POULAT, seedSoldeEnCours } from '../support/seed-dossiers';

const N = GARAGE_POULAT.numeroAsp;

describe('Read side over HTTP: suivi page, Historique, lists, reports, deadlines, emails (worker in process)', () => {
  let t: TestApp;
  let gestionnaire: string;
  let fournisseur: string;
  let autre: string;
  let auditeur: string;
  let position = '';

  const get = (path: string, token: string) =>
    t.http().get(path).auth(token, { type: 'bearer' }).set('X-Min-Position', position);
  const track = <R extends { headers: Record<string, string> }>(res: R): R => {
    if (res.headers['x-position']) position = res.headers['x-position'];
    return res;
  };

  beforeAll(async () => {
    t = await startTestApp(
      {
        MODIFICATION_REMINDER_AFTER: 'P10D',
        MODIFICATION_EXPIRY_AFTER: 'P20D',
        LOG_LEVEL: process.env.E2E_LOG ?? 'silent',
      },
      { worker: true },
    );
    gestionnaire = t.token('gestionnaire');
    fournisseur = t.token('fournisseur', GARAGE_POULAT.siret);
    autre = t.token('fournisseur', '80125271900415');
    auditeur = t.token('auditeur');
    const enrol = await t
      .http()
      .put(`/api/v1/fournisseurs/${GARAGE_POULAT.siret}`)
      .auth(t.token('assistance'), { type: 'bearer' })
      .send({
        numeroAns: 'pbrSAS0012',
        denominationSociale: 'GARAGE POULAT',
        adresse: { ligne: '0 cour DE MONS', codePostal: '59650', commune: 'VILLENEUVE D ASCQ' },
        email: 'contact@garage-poulat.fr',
        iban: 'FR7630006000011234567890189',
        bic: 'AGRIFRPP882',
      });
    expect([200, 201]).toContain(enrol.status);
    position = (await seedSoldeEnCours(t.infra)).position ?? '';
  });
  afterAll(() => t.close());

  it('shows the suivi page of the imported solde (EN_COURS) with the récapitulatif of the seed', async () => {
    const res = await get(`/api/v1/dossiers/${N}`, fournisseur);
    expect(res.status).toBe(200);
    expect(res.body.recapitulatif).toMatchObject({
      numeroAns: 'pbrSAS0012',
      siret: '79256844600019',
      denominationSociale: 'GARAGE POULAT',
      adresseAffichee: '0 cour DE MONS , 59650, VILLENEUVE D ASCQ',
      numeroDossier: N,
      statut: 'EN_COURS',
      statutLabel: 'En cours',
    });
    expect(res.body.informations.dsr).toBe('DSR-SAS-SAS-Va1');
    expect(res.body.coordonneesBancaires.iban.replace(/\s/g, '')).toMatch(/0189$/);
    expect(res.body.coordonneesBancaires.iban).not.toContain('30006');
    expect(res.body.modification).toBeNull();
  });

  it('while A_MODIFIER: banner, "test modif", version FINSAS008539M1, then the diff in green', async () => {
    track(
      await t
        .http()
        .post(`/api/v1/dossiers/${N}/modification`)
        .auth(gestionnaire, { type: 'bearer' })
        .send({ commentaire: 'test modif' }),
    );
    let page = (await get(`/api/v1/dossiers/${N}`, fournisseur)).body;
    expect(page.recapitulatif.statutLabel).toBe('A modifier');
    expect(page.informations.numeroAspVersion).toBe('FINSAS008539M1');
    expect(page.modification).toMatchObject({
      bandeau: 'Votre demande de solde nécessite des modifications de votre part',
      commentaire: 'test modif',
      version: 'M1',
    });
    expect(page.allowedActions).toEqual(expect.arrayContaining(['confirmer']));
    track(
      await t
        .http()
        .patch(`/api/v1/dossiers/${N}/modification`)
        .auth(fournisseur, { type: 'bearer' })
        .send({ contactSupport: 'test123@gmail.com' }),
    );
    page = (await get(`/api/v1/dossiers/${N}`, fournisseur)).body;
    expect(page.modification.draft.diff).toEqual([
      expect.objectContaining({
        field: 'contactSupport',
        from: 'pascal.breton@axyus.com',
        to: 'test123@gmail.com',
      }),
    ]);
  });

  it('lists the round’s deadlines as PENDING, then CANCELLED once confirmed', async () => {
    const pending = await get('/api/v1/deadlines?status=PENDING', gestionnaire);
    expect(pending.status).toBe(200);
    expect(pending.body.deadlines.map((d: { jobId: string }) => d.jobId).sort()).toEqual([
      'expiry-FINSAS008539-M1',
      'reminder-FINSAS008539-M1',
    ]);
    track(
      await t.http().post(`/api/v1/dossiers/${N}/modification/submit`).auth(fournisseur, { type: 'bearer' }),
    );
    const cancelled = await get('/api/v1/deadlines?status=CANCELLED', gestionnaire);
    expect(cancelled.body.deadlines).toHaveLength(2);
    expect((await get('/api/v1/deadlines', fournisseur)).status).toBe(403);
  });

  it('Historique lists the initial version and M1 with its change, who and how it ended', async () => {
    const res = await get(`/api/v1/dossiers/${N}/versions`, fournisseur);
    expect(res.status).toBe(200);
    const m1 = res.body.versions.find((v: { version: string }) => v.version === 'M1');
    expect(m1).toMatchObject({ outcome: 'submitted' });
    expect(JSON.stringify(m1)).toContain('test123@gmail.com');
    expect((await get(`/api/v1/dossiers/${N}/versions`, autre)).status).toBe(404);
  });

  it('another fournisseur gets 404 on the suivi page and an empty list', async () => {
    expect((await get(`/api/v1/dossiers/${N}`, autre)).status).toBe(404);
    const list = await get('/api/v1/dossiers', autre);
    expect(list.status).toBe(200);
    expect(list.body.items).toEqual([]);
  });

  it('lists dossiers with filters and text search', async () => {
    const mine = await get('/api/v1/dossiers?q=poulat', fournisseur);
    expect(mine.body.items.map((i: { numeroAsp: string }) => i.numeroAsp)).toEqual([N]);
    const none = await get('/api/v1/dossiers?statut=VALIDEE', gestionnaire);
    expect(none.body.items).toEqual([]);
    expect((await get('/api/v1/dossiers?statut=NIMPORTE', gestionnaire)).status).toBe(400);
  });

  it('reports counts by statut and couloir, in JSON and CSV', async () => {
    const json = await get('/api/v1/reports/summary', auditeur);
    expect(json.status).toBe(200);
    expect(JSON.stringify(json.body)).toContain('SAS');
    const csv = await get('/api/v1/reports/summary', auditeur).set('Accept', 'text/csv');
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.text).toContain(';');
    const mods = await get('/api/v1/reports/modifications', gestionnaire);
    expect(JSON.stringify(mods.body)).toMatch(/submitted|soumis/i);
    expect((await get('/api/v1/reports/summary', fournisseur)).status).toBe(403);
  });

  it('the automatic emails are sent (.eml without SMTP_URL) and listed on the suivi page', async () => {
    let courriels: unknown[] = [];
    for (let i = 0; i < 100 && courriels.length < 2; i++) {
      await new Promise((r) => setTimeout(r, 100));
      courriels = (await t.http().get(`/api/v1/dossiers/${N}`).auth(fournisseur, { type: 'bearer' })).body
        .courriels;
    }
    expect(courriels).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ template: 'MODIFICATION_DEMANDEE', to: 'contact@garage-poulat.fr' }),
        expect.objectContaining({ template: 'MODIFICATION_SOUMISE' }),
      ]),
    );
    // No SMTP_URL: each sent email is a file of DATA_DIR/outbox, addressed to the dossier's contact.
    const outbox = join(t.infra.config.dataDir, 'outbox');
    const emls = readdirSync(outbox).filter((f) => f.endsWith('.eml'));
    expect(emls.length).toBeGreaterThanOrEqual(2);
    const texts = emls.map((f) => readFileSync(join(outbox, f), 'utf8'));
    expect(texts.some((eml) => /^To: .*contact@garage-poulat\.fr/m.test(eml))).toBe(true);
  });

  it('reports projection lag on /ready', async () => {
    const res = await t.http().get('/ready');
    expect(res.status).toBe(200);
    expect(res.body.checks.eventStore.status).toBe('ok');
  });
});
