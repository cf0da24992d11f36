import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dir = mkdtempSync(join(tmpdir(), 'segur-audit-'));

/** Runs the CI audit step on a saved `npm audit --json` answer, as a child process. */
const judge = (report: unknown): { status: number | null; out: string } => {
  const file = join(dir, `${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, typeof report === 'string' ? report : JSON.stringify(report));
  const r = spawnSync(process.execPath, ['scripts/audit.js', '--from', file], { encoding: 'utf8' });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
};

const counts = (high: number, critical: number): Record<string, number> => ({
  info: 0,
  low: 2,
  moderate: 1,
  high,
  critical,
  total: 3 + high + critical,
});

describe('CI audit step (scripts/audit.js)', () => {
  it('reports and continues when the registry refuses the audit (405)', () => {
    const r = judge({
      message: '405 Method Not Allowed - POST https://registry.npmjs.org/-/npm/v1/security/advisories/bulk',
      statusCode: 405,
    });
    expect(r.status).toBe(0);
    expect(r.out).toContain('audit npm indisponible');
    expect(r.out).toContain('405');
  });

  it('fails on a high or a critical finding in production dependencies', () => {
    const high = judge({
      vulnerabilities: { foo: { name: 'foo', severity: 'high' } },
      metadata: { vulnerabilities: counts(1, 0) },
    });
    expect(high.status).toBe(1);
    expect(high.out).toContain('foo (high)');
    expect(judge({ vulnerabilities: {}, metadata: { vulnerabilities: counts(0, 2) } }).status).toBe(1);
  });

  it('passes with low and moderate findings only', () => {
    const r = judge({ vulnerabilities: {}, metadata: { vulnerabilities: counts(0, 0) } });
    expect(r.status).toBe(0);
    expect(r.out).toContain('aucune vulnérabilité haute ou critique');
  });
});
