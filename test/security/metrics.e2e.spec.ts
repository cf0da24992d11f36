import { startTestApp, type TestApp } from '../support/test-app';

const METRICS_TOKEN = 'jeton-de-metriques-assez-long';

describe('/metrics: figures cached (METRICS_CACHE_TTL), access by METRICS_TOKEN', () => {
  let t: TestApp;
  let percentileQueries = 0;
  beforeAll(async () => {
    t = await startTestApp({ METRICS_CACHE_TTL: 'PT1H', METRICS_TOKEN });
    // Counts the full-table percentile reads the scrapes make on the real database.
    const sql = t.infra.sql;
    const query = sql.query.bind(sql);
    sql.query = (text: string, params?: unknown[]) => {
      if (text.includes('percentile_cont')) percentileQueries++;
      return query(text, params);
    };
  });
  afterAll(() => t.close());

  it('refuses a scrape without the token, or with another one (401)', async () => {
    expect((await t.http().get('/metrics')).status).toBe(401);
    expect(
      (await t.http().get('/metrics').set('Authorization', 'Bearer autre-jeton-de-meme-taille!')).status,
    ).toBe(401);
  });

  it('five scrapes read the deadline percentiles once', async () => {
    for (let i = 0; i < 5; i++) {
      const res = await t.http().get('/metrics').set('Authorization', `Bearer ${METRICS_TOKEN}`);
      expect(res.status).toBe(200);
      expect(res.text).toContain('segur_deadlines');
    }
    expect(percentileQueries).toBe(1);
  });
});
