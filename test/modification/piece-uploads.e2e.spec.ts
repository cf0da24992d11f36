import { createHash } from 'node:crypto';
import { existsSync, readdirSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { BlobSweepService } from '../../apps/api/src/pieces/blob-sweep.service';
import { GARAGE_POULAT, eventCount, seedSoldeEnCours } from '../support/seed-dossiers';
import { SteppedClock, pdf, startTestApp, type TestApp } from '../support/test-app';

jest.setTimeout(60_000);

const DAY = 24 * 3600_000;
const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

describe('Piece uploads: refused before their bytes are stored, bounded forms, PDF header, orphan sweep', () => {
  let t: TestApp;
  const clock = new SteppedClock();
  let fournisseur: string;
  const numeroAsp = GARAGE_POULAT.numeroAsp;
  const other = 'FINSAS000888';
  const base = (n: string) => `/api/v1/dossiers/${n}/modification/pieces`;
  const blobPath = (digest: string) => join(t.infra.config.dataDir, 'blobs', digest.slice(0, 2), digest);
  const blobCount = (): number => {
    const root = join(t.infra.config.dataDir, 'blobs');
    if (!existsSync(root)) return 0;
    return readdirSync(root).reduce((n, d) => n + readdirSync(join(root, d)).length, 0);
  };

  beforeAll(async () => {
    t = await startTestApp({ BLOB_SWEEP_GRACE: 'P1D' }, { clock });
    fournisseur = t.token('fournisseur', GARAGE_POULAT.siret);
    await seedSoldeEnCours(t.infra);
    await seedSoldeEnCours(t.infra, { numeroAsp: other });
    const opened = await t
      .http()
      .post(`/api/v1/dossiers/${numeroAsp}/modification`)
      .auth(t.token('gestionnaire'), { type: 'bearer' })
      .send({ commentaire: 'Merci de compléter' });
    expect(opened.status).toBe(200);
  });
  afterAll(() => t.close());

  const upload = (token: string, n: string, content: Buffer, type = 'AUTRE_S') =>
    t
      .http()
      .post(base(n))
      .auth(token, { type: 'bearer' })
      .field('type', type)
      .attach('file', content, 'p.pdf');

  it('another SIRET’s fournisseur: 404, no event, no blob on disk', async () => {
    const content = pdf('intrus');
    const before = blobCount();
    const res = await upload(t.token('fournisseur', '11111111111111'), numeroAsp, content);
    expect(res.status).toBe(404);
    expect(existsSync(blobPath(sha(content)))).toBe(false);
    expect(blobCount()).toBe(before);
  });

  it('a dossier with no open round: refused, no blob on disk', async () => {
    const content = pdf('pas-de-brouillon');
    const events = await eventCount(t.infra, other);
    const res = await upload(fournisseur, other, content);
    expect(res.status).toBe(409);
    expect(await eventCount(t.infra, other)).toBe(events);
    expect(existsSync(blobPath(sha(content)))).toBe(false);
  });

  it('a type the couloir does not know: 400, no blob on disk', async () => {
    const content = pdf('type-inconnu');
    const res = await upload(fournisseur, numeroAsp, content, 'PAS_UN_TYPE');
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('PIECE_TYPE_INCONNU');
    expect(existsSync(blobPath(sha(content)))).toBe(false);
  });

  it('an accepted piece is stored', async () => {
    const content = pdf('acceptee');
    const res = await upload(fournisseur, numeroAsp, content);
    expect(res.status).toBe(201);
    expect(existsSync(blobPath(sha(content)))).toBe(true);
  });

  it('a file whose first bytes are not %PDF- is refused (415), even with the header a byte later', async () => {
    const shifted = Buffer.concat([Buffer.from(' '), pdf('decale')]);
    const res = await upload(fournisseur, numeroAsp, shifted);
    expect(res.status).toBe(415);
    expect(res.body.code).toBe('TYPE_NON_SUPPORTE');
    expect(existsSync(blobPath(sha(shifted)))).toBe(false);
  });

  it.each([
    [
      'too many fields',
      (r: ReturnType<TestApp['http']>) =>
        r
          .post(base(numeroAsp))
          .field('type', 'AUTRE_S')
          .field('a', '1')
          .field('b', '2')
          .attach('file', pdf('champs'), 'p.pdf'),
    ],
    [
      'a field too long',
      (r: ReturnType<TestApp['http']>) =>
        r.post(base(numeroAsp)).field('type', 'X'.repeat(1_000)).attach('file', pdf('long'), 'p.pdf'),
    ],
    [
      'a field name too long',
      (r: ReturnType<TestApp['http']>) =>
        r
          .post(base(numeroAsp))
          .field('n'.repeat(1_000), 'x')
          .field('type', 'AUTRE_S')
          .attach('file', pdf('nom'), 'p.pdf'),
    ],
    [
      'two files',
      (r: ReturnType<TestApp['http']>) =>
        r
          .post(base(numeroAsp))
          .field('type', 'AUTRE_S')
          .attach('file', pdf('un'), 'a.pdf')
          .attach('file', pdf('deux'), 'b.pdf'),
    ],
  ])('a form with %s is refused (413), nothing stored', async (_, send) => {
    const before = blobCount();
    const events = await eventCount(t.infra, numeroAsp);
    const res = await send(t.http()).auth(fournisseur, { type: 'bearer' });
    expect(res.status).toBe(413);
    expect(res.body.code).toBe('TROP_VOLUMINEUX');
    expect(blobCount()).toBe(before);
    expect(await eventCount(t.infra, numeroAsp)).toBe(events);
  });

  it('the sweep removes blobs no event references once past the grace period, and only those', async () => {
    const referenced = pdf('referencee');
    expect((await upload(fournisseur, numeroAsp, referenced)).status).toBe(201);
    const orphan = pdf('orpheline');
    const young = pdf('orpheline-recente');
    const reused = pdf('orpheline-reutilisee');
    for (const b of [orphan, young, reused]) await t.infra.blobs.put(b);
    // Two days old on disk: the referenced piece, the orphan, and one an upload is about to reuse.
    const old = new Date(clock.now().getTime() - 2 * DAY);
    for (const b of [referenced, orphan, reused]) utimesSync(blobPath(sha(b)), old, old);
    await t.infra.blobs.put(reused); // sent again: its grace period starts over

    const result = await t.app.get(BlobSweepService).sweep();
    expect(result.removed).toBe(1);
    expect(existsSync(blobPath(sha(orphan)))).toBe(false);
    expect(existsSync(blobPath(sha(referenced)))).toBe(true);
    expect(existsSync(blobPath(sha(young)))).toBe(true);
    expect(existsSync(blobPath(sha(reused)))).toBe(true);
    // The referenced piece is still served.
    const pieceId = (
      await upload(fournisseur, numeroAsp, pdf('autre')).then(() =>
        t.infra.store.readStream(`dossier-${numeroAsp}`),
      )
    )
      .filter((e) => e.type === 'PieceAdded')
      .map((e) => (e.data as { piece: { pieceId: string; sha256: string } }).piece)
      .find((p) => p.sha256 === sha(referenced))?.pieceId;
    const consulted = await t
      .http()
      .get(`/api/v1/dossiers/${numeroAsp}/pieces/${pieceId}`)
      .auth(fournisseur, { type: 'bearer' });
    expect(consulted.status).toBe(200);

    // Once the grace period has passed for the young one too, it goes.
    clock.advance(2 * DAY);
    expect((await t.app.get(BlobSweepService).sweep()).removed).toBeGreaterThanOrEqual(1);
    expect(existsSync(blobPath(sha(young)))).toBe(false);
    expect(existsSync(blobPath(sha(referenced)))).toBe(true);
  });
});
