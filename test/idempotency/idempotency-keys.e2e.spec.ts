import { dossierStreamId } from '@segur/domain';
import { IdempotencyService } from '../../apps/api/src/http/idempotency.service';
import { GARAGE_POULAT, seedSoldeEnCours } from '../support/seed-dossiers';
import { SteppedClock, pdf, startTestApp, type TestApp } from '../support/test-app';

jest.setTimeout(60_000);

const HOUR = 3600_000;

describe('Idempotency-Key: expiry, leases after a crash, reuse, uploads', () => {
  let t: TestApp;
  const clock = new SteppedClock();
  let fournisseur: string;
  let gestionnaire: string;
  const numeroAsp = GARAGE_POULAT.numeroAsp;
  const base = `/api/v1/dossiers/${numeroAsp}`;

  beforeAll(async () => {
    t = await startTestApp({ IDEMPOTENCY_KEY_TTL: 'PT24H', IDEMPOTENCY_LEASE: 'PT2M' }, { clock });
    fournisseur = t.token('fournisseur', GARAGE_POULAT.siret);
    gestionnaire = t.token('gestionnaire');
    await seedSoldeEnCours(t.infra);
    const opened = await t
      .http()
      .post(`${base}/modification`)
      .auth(gestionnaire, { type: 'bearer' })
      .send({ commentaire: 'Merci de compléter' });
    expect(opened.status).toBe(200);
  });
  afterAll(() => t.close());

  const addPiece = (key: string, content: Buffer, name = 'complement.pdf', type = 'AUTRE_S') =>
    t
      .http()
      .post(`${base}/modification/pieces`)
      .auth(fournisseur, { type: 'bearer' })
      .set('Idempotency-Key', key)
      .field('type', type)
      .attach('file', content, name);

  const piecesAdded = async (): Promise<string[]> => {
    const events = await t.infra.store.readStream(dossierStreamId(numeroAsp));
    return events
      .filter((e) => e.type === 'PieceAdded')
      .map((e) => (e.data as { piece: { pieceId: string } }).piece.pieceId);
  };

  const keyRows = async (key: string) =>
    (await t.infra.sql.query('SELECT status FROM idempotency_keys WHERE key = $1', [key])).rows;

  it('the same key with another body → 422 IDEMPOTENCE_CLE_REUTILISEE, nothing done', async () => {
    const first = await t
      .http()
      .patch(`${base}/modification`)
      .auth(fournisseur, { type: 'bearer' })
      .set('Idempotency-Key', 'brouillon-1')
      .send({ contactSupport: 'a@exemple.fr' });
    expect(first.status).toBe(200);
    const other = await t
      .http()
      .patch(`${base}/modification`)
      .auth(fournisseur, { type: 'bearer' })
      .set('Idempotency-Key', 'brouillon-1')
      .send({ contactSupport: 'b@exemple.fr' });
    expect(other.status).toBe(422);
    expect(other.body.code).toBe('IDEMPOTENCE_CLE_REUTILISEE');
  });

  it('the request hash covers the uploaded file: the same key with other bytes → 422', async () => {
    const first = await addPiece('piece-hash', pdf('un'));
    expect(first.status).toBe(201);
    const before = await piecesAdded();
    const other = await addPiece('piece-hash', pdf('deux'));
    expect(other.status).toBe(422);
    expect(other.body.code).toBe('IDEMPOTENCE_CLE_REUTILISEE');
    const same = await addPiece('piece-hash', pdf('un'));
    expect(same.status).toBe(201);
    expect(same.headers['idempotent-replayed']).toBe('true');
    expect(same.body.pieceId).toBe(first.body.pieceId);
    expect(await piecesAdded()).toEqual(before);
  });

  it('keys expire after IDEMPOTENCY_KEY_TTL: reusable then, and purged', async () => {
    const first = await t
      .http()
      .patch(`${base}/modification`)
      .auth(fournisseur, { type: 'bearer' })
      .set('Idempotency-Key', 'brouillon-expire')
      .send({ contactSupport: 'c@exemple.fr' });
    expect(first.status).toBe(200);
    clock.advance(23 * HOUR);
    const reused = await t
      .http()
      .patch(`${base}/modification`)
      .auth(fournisseur, { type: 'bearer' })
      .set('Idempotency-Key', 'brouillon-expire')
      .send({ contactSupport: 'd@exemple.fr' });
    expect(reused.status).toBe(422);
    clock.advance(2 * HOUR);
    // Past 24 h the key is forgotten: the same key is a new request.
    const fresh = await t
      .http()
      .patch(`${base}/modification`)
      .auth(fournisseur, { type: 'bearer' })
      .set('Idempotency-Key', 'brouillon-expire')
      .send({ contactSupport: 'd@exemple.fr' });
    expect(fresh.status).toBe(200);
    expect(fresh.headers['idempotent-replayed']).toBeUndefined();

    // The purge deletes what has expired, and only that.
    expect(await keyRows('brouillon-1')).toHaveLength(1);
    const purged = await t.app.get(IdempotencyService).purgeExpired();
    expect(purged).toBeGreaterThanOrEqual(1);
    expect(await keyRows('brouillon-1')).toHaveLength(0);
    expect(await keyRows('brouillon-expire')).toHaveLength(1);
  });

  it('a crash between the append and the stored answer: 409 while the lease holds, then the retry answers without a second piece', async () => {
    // The answer's store fails after the append, as if the process died right there.
    await t.infra.sql.query(`CREATE OR REPLACE FUNCTION idempotency_answer_fails() RETURNS trigger AS $$
      BEGIN RAISE EXCEPTION 'panne simulée'; END $$ LANGUAGE plpgsql`);
    await t.infra.sql.query(`CREATE TRIGGER idempotency_answer_fails BEFORE UPDATE ON idempotency_keys
      FOR EACH ROW WHEN (NEW.status IS NOT NULL) EXECUTE FUNCTION idempotency_answer_fails()`);
    const before = await piecesAdded();
    const crashed = await addPiece('piece-panne', pdf('panne'), 'panne.pdf');
    expect(crashed.status).toBe(500);
    await t.infra.sql.query('DROP TRIGGER idempotency_answer_fails ON idempotency_keys');
    const appended = await piecesAdded();
    expect(appended).toHaveLength(before.length + 1);

    // The claim is still held: a retry within the lease is told to wait.
    const early = await addPiece('piece-panne', pdf('panne'), 'panne.pdf');
    expect(early.status).toBe(409);
    expect(early.body.code).toBe('REQUETE_EN_COURS');

    clock.advance(3 * 60_000);
    const retried = await addPiece('piece-panne', pdf('panne'), 'panne.pdf');
    expect(retried.status).toBe(201);
    expect(retried.body.pieceId).toBe(appended.at(-1));
    expect(await piecesAdded()).toEqual(appended);
    const replayed = await addPiece('piece-panne', pdf('panne'), 'panne.pdf');
    expect(replayed.headers['idempotent-replayed']).toBe('true');
    expect(replayed.body.pieceId).toBe(retried.body.pieceId);
  });

  it('a stale claim is not taken by a different request with the same key', async () => {
    await t.infra.sql.query(
      `INSERT INTO idempotency_keys (principal, key, request_hash, expires_at, lease_until, claim)
       VALUES ($1, 'piece-autre', 'une-autre-requete', $2::timestamptz, $3::timestamptz, 'x')`,
      [
        `fournisseur-${GARAGE_POULAT.siret}`,
        new Date(clock.now().getTime() + HOUR).toISOString(),
        clock.now().toISOString(),
      ],
    );
    clock.advance(60_000);
    const res = await addPiece('piece-autre', pdf('autre'), 'autre.pdf');
    expect(res.status).toBe(422);
  });
});
