import { createPublicKey } from 'node:crypto';
import { comparePositions, isAuditable, makeCheckpoint, publicKeyPemOf } from '@segur/event-store';
import { auditSigningKeyOf } from '@segur/platform';
import { AuditCheckpointService } from '@segur/worker';
import { seedSoldeEnCours } from '../support/seed-dossiers';
import { startTestApp, type TestApp } from '../support/test-app';

jest.setTimeout(120_000);

describe('GET /api/v1/dossiers/{n}/audit/verify et /api/v1/audit/public-key', () => {
  let t: TestApp;
  let numeroAsp: string;
  const verify = (role: 'auditeur' | 'gestionnaire' | 'fournisseur', n = numeroAsp, query = '') =>
    t
      .http()
      .get(`/api/v1/dossiers/${n}/audit/verify${query}`)
      .auth(t.token(role, role === 'fournisseur' ? '12345678900011' : undefined), { type: 'bearer' });

  beforeAll(async () => {
    // With the worker, as `npm start`: its periodic checkpoint service is mounted.
    t = await startTestApp({}, { worker: true });
    ({ numeroAsp } = await seedSoldeEnCours(t.infra));
  });
  afterAll(() => t.close());

  it('publie la clé publique sans jeton, et rien de secret', async () => {
    const res = await t.http().get('/api/v1/audit/public-key');
    expect(res.status).toBe(200);
    expect(res.body.algorithme).toBe('Ed25519');
    expect(createPublicKey(res.body.publicKey).asymmetricKeyType).toBe('ed25519');
    expect(res.text).not.toContain('PRIVATE');
    expect(res.body.empreinte).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuse avant toute lecture : sans jeton 401, fournisseur 403, numéro mal formé 400, inconnu 404', async () => {
    expect((await t.http().get(`/api/v1/dossiers/${numeroAsp}/audit/verify`)).status).toBe(401);
    expect((await verify('fournisseur')).status).toBe(403);
    const bad = await verify('auditeur', 'PAS-UN-NUMERO');
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('NUMERO_ASP_INVALIDE');
    expect((await verify('auditeur', 'FINSAS999999')).status).toBe(404);
    const q = await verify('auditeur', numeroAsp, '?fromCheckpoint=abc');
    expect(q.status).toBe(400);
    expect(q.headers['content-type']).toMatch(/application\/problem\+json/);
  });

  it('intègre, puis attesté par un point de contrôle, puis rompu après une retouche en SQL', async () => {
    const clean = await verify('auditeur');
    expect(clean.status).toBe(200);
    expect(clean.body).toMatchObject({ numeroAsp, intact: true, checkpoint: null, break: null });
    expect(clean.body.message).toMatch(
      /^Chaîne intègre jusqu'à la position .*aucun point de contrôle signé$/,
    );

    const store = t.infra.store;
    if (!isAuditable(store)) throw new Error('magasin sans audit');
    const key = auditSigningKeyOf(t.infra.config);
    if (!key) throw new Error('pas de clé');
    const { checkpoint } = await makeCheckpoint(store.auditLog(), key);
    const published = await t.http().get('/api/v1/audit/public-key');
    expect(checkpoint?.publicKey).toBe(published.body.publicKey);
    expect(publicKeyPemOf(key)).toBe(published.body.publicKey);
    const attested = await verify('gestionnaire');
    expect(attested.body).toMatchObject({ intact: true, checkpoint: { id: checkpoint?.id } });
    expect((await verify('auditeur', numeroAsp, '?fromCheckpoint=999')).status).toBe(404);

    const sql = t.infra.sql;
    await sql.transaction(async (tx) => {
      await tx.query('ALTER TABLE es_events DISABLE TRIGGER es_events_no_update_delete');
      await tx.query(
        `UPDATE es_events SET metadata = jsonb_set(metadata, '{correlationId}', '"falsifie"')
         WHERE stream_id = $1 AND stream_version = 2`,
        [`dossier-${numeroAsp}`],
      );
      await tx.query('ALTER TABLE es_events ENABLE TRIGGER es_events_no_update_delete');
    });
    const broken = await verify('auditeur');
    expect(broken.status).toBe(200);
    expect(broken.body).toMatchObject({ intact: false, break: { kind: 'hash', streamVersion: 2 } });
    expect(broken.body.message).toMatch(
      /^Chaîne rompue : l'événement [0-9a-f-]+ .*version 2.*contenu modifié/,
    );
  });

  it('le worker signe un point de contrôle (ce que fait son minuteur), un seul tant que rien n’est ajouté', async () => {
    const service = t.app.get(AuditCheckpointService);
    await seedSoldeEnCours(t.infra, { numeroAsp: 'FINSAS000777' });
    const first = await service.checkpoint();
    expect(first?.created).toBe(true);
    expect(first?.checkpoint?.payload.streams).toBeGreaterThanOrEqual(2);
    // The worker's own side effects of the seed (e-mails it records as events) may still append
    // between two calls: a new checkpoint is then due, and must cover a later position. The side
    // effects are finite, so a call soon creates none and returns the latest one unchanged.
    let latest = first!.checkpoint!;
    for (let call = 1; ; call++) {
      expect(call).toBeLessThanOrEqual(20);
      const again = await service.checkpoint();
      if (!again?.created) {
        expect(again).toMatchObject({ created: false, checkpoint: { id: latest.id } });
        break;
      }
      expect(comparePositions(again.checkpoint!.payload.position, latest.payload.position)).toBeGreaterThan(
        0,
      );
      latest = again.checkpoint!;
    }
  });
});
