import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { register } from 'prom-client';
import { collectProcessMetrics } from '@segur/platform';
import { startTestApp, type TestApp } from '../support/test-app';

jest.setTimeout(120_000);

interface Panel {
  type: string;
  title: string;
  targets?: { expr: string }[];
}

const dashboard = JSON.parse(
  readFileSync(join(process.cwd(), 'docker/grafana/segur-dossiers.json'), 'utf8'),
) as { panels: Panel[] };

/** Metric names in a PromQL expression: ours and Node's (the functions and labels never match). */
const metricNames = (expr: string): string[] =>
  [...expr.matchAll(/\b(?:segur|process|nodejs)_[a-z0-9_]+\b/g)].map((m) => m[0]);

describe('docker/grafana/segur-dossiers.json reads only metrics the app and the worker register', () => {
  let t: TestApp;
  let registered: Set<string>;

  beforeAll(async () => {
    // API and worker in one process, as `npm start` (the worker's own port serves the same registry).
    t = await startTestApp({}, { worker: true });
    collectProcessMetrics();
    registered = new Set(
      (await register.getMetricsAsJSON()).flatMap((m) =>
        String(m.type) === 'histogram' ? [`${m.name}_bucket`, `${m.name}_sum`, `${m.name}_count`] : [m.name],
      ),
    );
  });
  afterAll(() => t.close());

  it('every panel queries something, and every metric name in every expression exists', () => {
    const panels = dashboard.panels.filter((p) => p.type !== 'row');
    expect(panels.length).toBeGreaterThan(10);
    const unknown: string[] = [];
    for (const panel of panels) {
      const exprs = (panel.targets ?? []).map((target) => target.expr);
      expect(exprs.length).toBeGreaterThan(0);
      for (const expr of exprs) {
        const names = metricNames(expr);
        expect(names.length).toBeGreaterThan(0);
        for (const name of names) if (!registered.has(name)) unknown.push(`${panel.title} : ${name}`);
      }
    }
    expect(unknown).toEqual([]);
  });

  it('covers HTTP, commands, projections, deadlines, webhooks and the store’s appends', () => {
    const all = dashboard.panels.flatMap((p) => (p.targets ?? []).flatMap((t) => metricNames(t.expr)));
    for (const name of [
      'segur_http_request_duration_seconds_bucket',
      'segur_commands_total',
      'segur_projection_caught_up',
      'segur_deadlines',
      'segur_webhook_deliveries_total',
      'segur_event_store_append_duration_seconds_bucket',
    ])
      expect(all).toContain(name);
  });
});
