import request from 'supertest';
import { collectProcessMetrics, type MetricsSettings } from '@segur/platform';
import { startWorkerHttp } from './worker-http';

const settings = (token: string | null): MetricsSettings => ({ cacheTtlMs: 0, token, workerHttpPort: 0 });

describe('the worker’s HTTP port: /metrics and /health', () => {
  it('serves the process registry on /metrics and liveness on /health', async () => {
    collectProcessMetrics();
    const http = await startWorkerHttp(settings(null), '127.0.0.1');
    try {
      const metrics = await request(http.server).get('/metrics');
      expect(metrics.status).toBe(200);
      expect(metrics.headers['content-type']).toMatch(/^text\/plain/);
      expect(metrics.text).toContain('process_cpu_user_seconds_total');
      const health = await request(http.server).get('/health');
      expect(health.status).toBe(200);
      expect(health.body).toEqual({ status: 'ok' });
      expect((await request(http.server).get('/autre')).status).toBe(404);
      expect((await request(http.server).post('/metrics')).status).toBe(405);
    } finally {
      await http.close();
    }
  });

  it('answers /metrics only with the bearer METRICS_TOKEN when one is set; /health stays open', async () => {
    const http = await startWorkerHttp(settings('un-jeton-de-metriques-long'), '127.0.0.1');
    try {
      expect((await request(http.server).get('/metrics')).status).toBe(401);
      expect((await request(http.server).get('/metrics').auth('mauvais', { type: 'bearer' })).status).toBe(
        401,
      );
      const ok = await request(http.server)
        .get('/metrics')
        .auth('un-jeton-de-metriques-long', { type: 'bearer' });
      expect(ok.status).toBe(200);
      expect((await request(http.server).get('/health')).status).toBe(200);
    } finally {
      await http.close();
    }
  });
});
