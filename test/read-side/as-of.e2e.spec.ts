import type { RecordedEvent } from '@segur/event-store';
import { startTestApp, type TestApp } from '../support/test-app';
import { GARAGE_POULAT, seedSoldeEnCours } from '../support/seed-dossiers';

const N = GARAGE_POULAT.numeroAsp;
const OTHER = 'FINSAS008550';
const OTHER_SIRET = '80125271900415';

// As-of reads over HTTP: a dossier's pages as they were at an instant or after a position, folded
// from its stream with the projections' own folds. No worker: the as-of answer reads no read model.
describe('As-of reads of one dossier (suivi, Historique, audit trail, deadlines) over HTTP', () => {
  let t: TestApp;
  let gestionnaire: string;
  let fournisseur: string;
  let autre: string;
  let trail: RecordedEvent[];
  const at = (type: string, nth = 0): RecordedEvent => trail.filter((e) => e.type === type)[nth]!;

  const get = (path: string, token: string) => t.http().get(path).auth(token, { type: 'bearer' });
  const round = async (contact: string): Promise<void> => {
    const steps = [
      t
        .http()
        .post(`/api/v1/dossiers/${N}/modification`)
        .auth(gestionnaire, { type: 'bearer' })
        .send({ commentaire: `vers ${contact}` }),
      t
        .http()
        .patch(`/api/v1/dossiers/${N}/modification`)
        .auth(fournisseur, { type: 'bearer' })
        .send({ contactSupport: contact }),
      t.http().post(`/api/v1/dossiers/${N}/modification/submit`).auth(fournisseur, { type: 'bearer' }),
    ];
    for (const step of steps) expect((await step).status).toBeLessThan(300);
  };

  beforeAll(async () => {
    t = await startTestApp({ MODIFICATION_REMINDER_AFTER: 'P10D', MODIFICATION_EXPIRY_AFTER: 'P20D' });
    gestionnaire = t.token('gestionnaire');
    fournisseur = t.token('fournisseur', GARAGE_POULAT.siret);
    autre = t.token('fournisseur', OTHER_SIRET);
    await seedSoldeEnCours(t.infra);
    await seedSoldeEnCours(t.infra, { numeroAsp: OTHER, siret: OTHER_SIRET, numeroAns: 'zbuSAS0005' });
    await round('premier@garage-poulat.fr');
    await round('second@garage-poulat.fr');
    trail = (await get(`/api/v1/dossiers/${N}/events`, gestionnaire)).body.events;
  });
  afterAll(() => t.close());

  it('between two modification rounds, the suivi page shows the first round’s contact and version, and says where it stopped', async () => {
    const firstSubmit = at('ModificationSubmitted', 0);
    const res = await get(`/api/v1/dossiers/${N}?atPosition=${firstSubmit.position}`, fournisseur);
    expect(res.status).toBe(200);
    expect(res.headers['x-as-of-position']).toBe(firstSubmit.position);
    expect(res.body.asOf).toEqual({
      position: firstSubmit.position,
      eventId: firstSubmit.id,
      recordedAt: firstSubmit.recordedAt,
    });
    expect(res.body.informations.numeroAspVersion).toBe(`${N}M1`);
    expect(res.body.informations.champsEditables).toEqual([
      expect.objectContaining({ field: 'contactSupport', value: 'premier@garage-poulat.fr' }),
    ]);
    expect(res.body.modification).toBeNull();
    // Today's page has moved on: M2 and the second contact.
    const now = await get(`/api/v1/dossiers/${N}?atPosition=${trail.at(-1)!.position}`, fournisseur);
    expect(now.body.informations.numeroAspVersion).toBe(`${N}M2`);
    expect(now.body.informations.champsEditables[0].value).toBe('second@garage-poulat.fr');
    // Historique then: the imported solde and M1 only.
    const versions = await get(
      `/api/v1/dossiers/${N}/versions?atPosition=${firstSubmit.position}`,
      fournisseur,
    );
    expect(versions.status).toBe(200);
    expect(versions.headers['x-as-of-position']).toBe(firstSubmit.position);
    expect(versions.body.versions.map((v: { version: string | null }) => v.version)).toEqual([null, 'M1']);
  });

  it('while the second round was open, the suivi page shows its banner and draft', async () => {
    const edited = at('ModificationDraftEdited', 1);
    const res = await get(`/api/v1/dossiers/${N}?atPosition=${edited.position}`, fournisseur);
    expect(res.body.modification).toMatchObject({ version: 'M2' });
    expect(res.body.modification.draft.diff).toEqual([
      expect.objectContaining({ from: 'premier@garage-poulat.fr', to: 'second@garage-poulat.fr' }),
    ]);
  });

  it('before the solde import, the suivi page shows the avance only', async () => {
    const paid = at('AvancePaymentRecorded');
    const res = await get(`/api/v1/dossiers/${N}?atPosition=${paid.position}`, fournisseur);
    expect(res.status).toBe(200);
    expect(res.body.recapitulatif.phase).toBe('AVANCE');
    expect(res.body.pieces).toEqual([]);
    expect(res.body.informations.montants.avanceDecide).not.toBeNull();
    expect(res.body.informations.montants.soldeDecide).toBeNull();
    // The audit trail then ends at the payment, and has no solde.
    const events = await get(`/api/v1/dossiers/${N}/events?atPosition=${paid.position}`, gestionnaire);
    expect(events.body.events.map((e: RecordedEvent) => e.type)).toEqual([
      'AvanceImported',
      'AvancePaymentRecorded',
    ]);
  });

  it('asOf an instant stops at the last event recorded at or before it', async () => {
    const submit = at('ModificationSubmitted', 0);
    const res = await get(`/api/v1/dossiers/${N}?asOf=${encodeURIComponent(submit.recordedAt)}`, fournisseur);
    expect(res.status).toBe(200);
    const expected = trail.filter((e) => Date.parse(e.recordedAt) <= Date.parse(submit.recordedAt)).at(-1)!;
    expect(res.body.asOf.eventId).toBe(expected.id);
    expect(res.headers['x-as-of-position']).toBe(expected.position);
    // The same instant with an offset names the same moment.
    const paris = new Date(Date.parse(submit.recordedAt) + 3_600_000).toISOString().replace('Z', '+01:00');
    const same = await get(`/api/v1/dossiers/${N}?asOf=${encodeURIComponent(paris)}`, fournisseur);
    expect(same.body.asOf.eventId).toBe(expected.id);
  });

  it('deadlines then: the first round’s two deadlines, pending while it was open', async () => {
    const requested = at('ModificationRequested', 0);
    const res = await get(`/api/v1/deadlines?numeroAsp=${N}&atPosition=${requested.position}`, gestionnaire);
    expect(res.status).toBe(200);
    expect(
      res.body.deadlines.map((d: { jobId: string; status: string }) => [d.jobId, d.status]).sort(),
    ).toEqual([
      [`expiry-${N}-M1`, 'PENDING'],
      [`reminder-${N}-M1`, 'PENDING'],
    ]);
    expect((await get(`/api/v1/deadlines?atPosition=${requested.position}`, gestionnaire)).status).toBe(400);
  });

  it('an instant before the dossier existed is 404, as an unknown dossier', async () => {
    const before = new Date(Date.parse(trail[0]!.recordedAt) - 1).toISOString();
    for (const path of [`/api/v1/dossiers/${N}`, `/api/v1/dossiers/${N}/versions`]) {
      const res = await get(`${path}?asOf=${before}`, fournisseur);
      expect(res.status).toBe(404);
      expect(res.headers['content-type']).toMatch(/problem\+json/);
    }
    expect((await get(`/api/v1/dossiers/${N}/events?asOf=2000-01-01T00:00:00Z`, gestionnaire)).status).toBe(
      404,
    );
    // The deadlines of a dossier that did not exist yet: 404 too, not an empty list.
    expect((await get(`/api/v1/deadlines?numeroAsp=${N}&asOf=${before}`, gestionnaire)).status).toBe(404);
  });

  it('a fournisseur cannot time-travel into another’s dossier: 404 at any point, as the live page', async () => {
    const own = (await get(`/api/v1/dossiers/${OTHER}/events`, gestionnaire)).body.events as RecordedEvent[];
    for (const e of own) {
      const res = await get(`/api/v1/dossiers/${OTHER}?atPosition=${e.position}`, fournisseur);
      expect(res.status).toBe(404);
      expect(res.body.code).toBe((await get(`/api/v1/dossiers/FINSAS009999`, fournisseur)).body.code);
    }
    expect((await get(`/api/v1/dossiers/${OTHER}?asOf=${own.at(-1)!.recordedAt}`, autre)).status).toBe(200);
    // Roles as the live read: a fournisseur has no audit trail, even of its own past.
    expect(
      (await get(`/api/v1/dossiers/${N}/events?atPosition=${trail[0]!.position}`, fournisseur)).status,
    ).toBe(403);
  });

  it('refuses both parameters at once, a malformed instant and a malformed position: 400 in French, nothing read', async () => {
    const p = trail[0]!.position;
    const both = await get(`/api/v1/dossiers/${N}?asOf=2023-01-01T00:00:00Z&atPosition=${p}`, fournisseur);
    expect(both.status).toBe(400);
    expect(both.headers['content-type']).toMatch(/problem\+json/);
    expect(both.body.detail).toMatch(/ensemble/);
    for (const bad of ['hier', '2023-02-30T00:00:00Z', '2023-01-01', '2023-01-01T10:00:00']) {
      const res = await get(`/api/v1/dossiers/${N}?asOf=${encodeURIComponent(bad)}`, fournisseur);
      expect([bad, res.status]).toEqual([bad, 400]);
      expect(res.body.detail).toMatch(/asOf/);
    }
    const pos = await get(`/api/v1/dossiers/${N}/versions?atPosition=abc`, fournisseur);
    expect(pos.status).toBe(400);
    expect(pos.body.detail).toMatch(/atPosition/);
  });
});
