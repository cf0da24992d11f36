import type { Response } from 'supertest';
import { seedSoldeEnCours } from '../support/seed-dossiers';
import { startTestApp, type TestApp } from '../support/test-app';

jest.setTimeout(90_000);

const POISONED = 'FINSAS000777';
const HEALTHY = 'FINSAS000778';

/** Polls a route until `done` says so, at most `tries` times: the worker works on its own time. */
const until = async (
  get: () => Promise<Response>,
  done: (res: Response) => boolean,
  tries = 400,
): Promise<Response> => {
  let res = await get();
  for (let i = 0; i < tries && !done(res); i++) {
    await new Promise((r) => setTimeout(r, 50));
    res = await get();
  }
  return res;
};

describe('Quarantine: /ready, the 503 of X-Min-Position, the admin list and retry (real projections)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ PROJECTION_MAX_ATTEMPTS: '2' }, { worker: true });
    // A schema bug of the suivi read model, as a deployment could bring: every write of one
    // dossier's row fails inside the projection's transaction (a SQL error, not a lost connection).
    await t.infra.sql.query(`CREATE FUNCTION refuse_poisoned() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'colonne suivi invalide pour %', NEW.numero_asp; END $$`);
    await t.infra.sql.query(`CREATE TRIGGER refuse_poisoned BEFORE INSERT OR UPDATE ON suivi_dossiers
      FOR EACH ROW WHEN (NEW.numero_asp = '${POISONED}') EXECUTE FUNCTION refuse_poisoned()`);
  });
  afterAll(() => t.close());

  it('quarantines the event, stays ready with a degraded detail, says why in the 503, and a retry after the fix applies it', async () => {
    const assistance = t.token('assistance');
    const poisoned = await seedSoldeEnCours(t.infra, { numeroAsp: POISONED });
    const healthy = await seedSoldeEnCours(t.infra, { numeroAsp: HEALTHY });

    // The other dossiers and the other projections keep going.
    const ok = await t
      .http()
      .get(`/api/v1/dossiers/${HEALTHY}`)
      .set('X-Min-Position', healthy.position!)
      .auth(assistance, { type: 'bearer' });
    expect(ok.status).toBe(200);

    const ready = await until(
      () => t.http().get('/ready'),
      (res) => res.body.checks?.quarantine?.projections?.suivi?.held === 2,
    );
    expect(ready.status).toBe(200);
    expect(ready.body.status).toBe('ok');
    expect(ready.body.checks.quarantine).toEqual({
      status: 'degraded',
      projections: { suivi: { failing: 0, quarantined: 1, held: 2 } },
    });

    // The caller who wrote the solde learns that its write is stuck behind a quarantined event.
    const stale = await t
      .http()
      .get(`/api/v1/dossiers/${POISONED}`)
      .set('X-Min-Position', poisoned.position!)
      .auth(assistance, { type: 'bearer' });
    expect(stale.status).toBe(503);
    expect(stale.body.code).toBe('EVENEMENT_EN_QUARANTAINE');
    expect(stale.body.detail).toContain('« suivi »');
    expect(stale.body.detail).toContain('derrière un événement en quarantaine');

    // Listing: refused to a fournisseur, given to the assistance.
    expect(
      (
        await t
          .http()
          .get('/api/v1/admin/quarantine')
          .auth(t.token('fournisseur', '79256844600019'), { type: 'bearer' })
      ).status,
    ).toBe(403);
    const list = await t.http().get('/api/v1/admin/quarantine').auth(assistance, { type: 'bearer' });
    expect(list.status).toBe(200);
    const entries = list.body.entries as Array<Record<string, unknown>>;
    expect(entries.map((e) => [e.projection, e.streamId, e.eventType, e.status])).toEqual([
      ['suivi', `dossier-${POISONED}`, 'AvanceImported', 'quarantined'],
      ['suivi', `dossier-${POISONED}`, 'AvancePaymentRecorded', 'held'],
      ['suivi', `dossier-${POISONED}`, 'SoldeImported', 'held'],
    ]);
    expect(entries[0]).toEqual(
      expect.objectContaining({
        attempts: 2,
        error: expect.stringContaining(`colonne suivi invalide pour ${POISONED}`),
      }),
    );
    const id = entries[0]!.id as string;

    // Retrying: refused to an auditeur; before the fix it fails again and changes nothing.
    expect(
      (
        await t
          .http()
          .post(`/api/v1/admin/quarantine/${id}/retry`)
          .auth(t.token('auditeur'), { type: 'bearer' })
      ).status,
    ).toBe(403);
    const again = await t
      .http()
      .post(`/api/v1/admin/quarantine/${id}/retry`)
      .auth(assistance, { type: 'bearer' });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('QUARANTAINE_ECHEC');

    // The fix deployed: the retry replays the three events in order and empties the quarantine.
    await t.infra.sql.query('DROP TRIGGER refuse_poisoned ON suivi_dossiers');
    const retried = await t
      .http()
      .post(`/api/v1/admin/quarantine/${id}/retry`)
      .auth(assistance, { type: 'bearer' });
    expect(retried.status).toBe(200);
    expect(retried.body).toEqual(
      expect.objectContaining({ outcome: 'applied', projection: 'suivi', events: 3 }),
    );
    const read = await t
      .http()
      .get(`/api/v1/dossiers/${POISONED}`)
      .set('X-Min-Position', poisoned.position!)
      .auth(assistance, { type: 'bearer' });
    expect(read.status).toBe(200);
    expect(read.body.numeroAsp ?? read.body.recapitulatif?.numeroAsp).toBe(POISONED);
    const after = await t.http().get('/ready');
    expect(after.body.checks.quarantine).toEqual({ status: 'ok', projections: {} });
    const twice = await t
      .http()
      .post(`/api/v1/admin/quarantine/${id}/retry`)
      .auth(assistance, { type: 'bearer' });
    expect(twice.status).toBe(404);
    expect(twice.body.code).toBe('QUARANTAINE_INCONNUE');

    const metrics = await t.http().get('/metrics');
    expect(metrics.text).toMatch(/segur_projection_events_quarantined_total\{projection="suivi"\} 1/);
    expect(metrics.text).toMatch(/segur_projection_quarantine\{projection="suivi",status="quarantined"\} 0/);
  });
});
