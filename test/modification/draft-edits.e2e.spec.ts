import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_COULOIRS, dossierStreamId } from '@segur/domain';
import { GARAGE_POULAT, eventCount, seedSoldeEnCours } from '../support/seed-dossiers';
import { startTestApp, type TestApp } from '../support/test-app';

jest.setTimeout(60_000);

const base = `/api/v1/dossiers/${GARAGE_POULAT.numeroAsp}`;

const openRound = async (t: TestApp): Promise<void> => {
  await seedSoldeEnCours(t.infra);
  const res = await t
    .http()
    .post(`${base}/modification`)
    .auth(t.token('gestionnaire'), { type: 'bearer' })
    .send({ commentaire: 'Merci de compléter' });
  expect(res.status).toBe(200);
};

describe('Draft edits: a field the couloir does not allow is 422 whatever its value', () => {
  let t: TestApp;
  let fournisseur: string;

  beforeAll(async () => {
    t = await startTestApp();
    fournisseur = t.token('fournisseur', GARAGE_POULAT.siret);
    await openRound(t);
  });
  afterAll(() => t.close());

  it.each([
    ['an object', { facture: { dateFacture: '01/02/2023', montant: 1200 } }, 'facture.dateFacture'],
    ['a number', { beneficiaire: 620006502 }, 'beneficiaire'],
    ['a list', { numeroEditeur: ['x'] }, 'numeroEditeur'],
    [
      'with an allowed field beside',
      { contactSupport: 'a@exemple.fr', facture: { montant: 1 } },
      'facture.montant',
    ],
  ])('%s → 422 CHAMP_NON_MODIFIABLE, nothing recorded', async (_, body, path) => {
    const before = await eventCount(t.infra, GARAGE_POULAT.numeroAsp);
    const res = await t.http().patch(`${base}/modification`).auth(fournisseur, { type: 'bearer' }).send(body);
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('CHAMP_NON_MODIFIABLE');
    expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual([path]);
    expect(await eventCount(t.infra, GARAGE_POULAT.numeroAsp)).toBe(before);
  });

  it('an allowed field with a value that is not text → 400 CHAMP_INVALIDE', async () => {
    const res = await t
      .http()
      .patch(`${base}/modification`)
      .auth(fournisseur, { type: 'bearer' })
      .send({ contactSupport: { email: 'a@exemple.fr' } });
    expect(res.status).toBe(422);
    const text = await t
      .http()
      .patch(`${base}/modification`)
      .auth(fournisseur, { type: 'bearer' })
      .send({ contactSupport: 12 });
    expect(text.status).toBe(400);
    expect(text.body.code).toBe('CHAMP_INVALIDE');
  });
});

describe('Draft edits: nested fields the couloir configuration names', () => {
  let t: TestApp;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'segur-couloirs-'));
    const file = join(dir, 'couloirs.json');
    writeFileSync(
      file,
      JSON.stringify({
        ...DEFAULT_COULOIRS,
        SAS: {
          ...DEFAULT_COULOIRS.SAS,
          champsEditables: ['contactSupport', 'scenariosEffectivementInstalles.certificatDMP'],
        },
      }),
    );
    t = await startTestApp({ COULOIRS_FILE: file });
    await openRound(t);
  });
  afterAll(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('an object naming the configured nested field is recorded, and confirmed', async () => {
    const fournisseur = t.token('fournisseur', GARAGE_POULAT.siret);
    const res = await t
      .http()
      .patch(`${base}/modification`)
      .auth(fournisseur, { type: 'bearer' })
      .send({ scenariosEffectivementInstalles: { certificatDMP: 'DMP-2023-001' } });
    expect(res.status).toBe(200);
    const sibling = await t
      .http()
      .patch(`${base}/modification`)
      .auth(fournisseur, { type: 'bearer' })
      .send({ scenariosEffectivementInstalles: { certificatINSi: 'INSI-1' } });
    expect(sibling.status).toBe(422);
    const submitted = await t
      .http()
      .post(`${base}/modification/submit`)
      .auth(fournisseur, { type: 'bearer' });
    expect(submitted.status).toBe(200);
    const events = await t.infra.store.readStream(dossierStreamId(GARAGE_POULAT.numeroAsp));
    const confirmed = events.find((e) => e.type === 'ModificationSubmitted');
    expect((confirmed?.data as { changes: unknown[] }).changes).toEqual([
      { field: 'scenariosEffectivementInstalles.certificatDMP', from: null, to: 'DMP-2023-001' },
    ]);
  });
});
