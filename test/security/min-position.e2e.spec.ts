import { seedSoldeEnCours } from '../support/seed-dossiers';
import { startTestApp, type TestApp } from '../support/test-app';

// No worker here: the projections never move, so a read that accepted a position would wait its
// whole timeout and answer 503. Each refusal below is a 400 answered without waiting.
describe('X-Min-Position that is not a position of this store, or beyond its head, is refused at once', () => {
  let t: TestApp;
  let position: string;
  beforeAll(async () => {
    t = await startTestApp();
    const seeded = await seedSoldeEnCours(t.infra);
    position = seeded.position ?? '';
  });
  afterAll(() => t.close());

  const list = (minPosition: string) =>
    t
      .http()
      .get('/api/v1/dossiers')
      .auth(t.token('gestionnaire'), { type: 'bearer' })
      .set('X-Min-Position', minPosition);

  it('a cursor of another kind (zzzz) → 400 CURSEUR_INVALIDE', async () => {
    for (const bad of ['zzzz', '00000000000000000001', 'esdb:1:1']) {
      const res = await list(bad);
      expect(res.status).toBe(400);
      expect((res.body as { code: string }).code).toBe('CURSEUR_INVALIDE');
    }
  });

  it('a position no write has reached → 400 POSITION_INCONNUE', async () => {
    const [tx, global] = position.split('-') as [string, string];
    const beyond = `${tx}-${String(BigInt(global) + 1000n).padStart(20, '0')}`;
    const res = await list(beyond);
    expect(res.status).toBe(400);
    expect((res.body as { code: string; detail: string }).code).toBe('POSITION_INCONNUE');
    expect((res.body as { detail: string }).detail).toContain('X-Min-Position');
  });

  it('the position of a past write is still accepted (and waited for)', async () => {
    expect(position).toMatch(/^\d{20}-\d{20}$/);
    const res = await list(position);
    // The projections of this app do not run: the wait ends in 503, not in a 400 refusal.
    expect([200, 503]).toContain(res.status);
  });
});
