import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { startTestApp, type TestApp } from '../support/test-app';

jest.setTimeout(180_000);

describe('GET /openapi.json: a valid OpenAPI 3.1 document', () => {
  let t: TestApp;
  let dir: string;
  let doc: Record<string, unknown>;

  beforeAll(async () => {
    t = await startTestApp();
    dir = mkdtempSync(join(tmpdir(), 'segur-openapi-'));
    const res = await t.http().get('/openapi.json');
    expect(res.status).toBe(200);
    doc = res.body as Record<string, unknown>;
    writeFileSync(join(dir, 'openapi.json'), JSON.stringify(doc, null, 2));
    if (process.env.OPENAPI_DUMP) writeFileSync(process.env.OPENAPI_DUMP, JSON.stringify(doc, null, 2));
  });
  afterAll(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('@redocly/cli lint finds no error', () => {
    expect(doc.openapi).toBe('3.1.0');
    let output = '';
    try {
      output = execFileSync(
        process.execPath,
        [require.resolve('@redocly/cli/bin/cli.js'), 'lint', '--format=json', join(dir, 'openapi.json')],
        {
          encoding: 'utf8',
          env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
        },
      );
    } catch (e) {
      output = String((e as { stdout?: string }).stdout ?? e);
    }
    const report = JSON.parse(output) as {
      problems: { severity: string; message: string; location: { pointer: string }[] }[];
    };
    const errors = report.problems
      .filter((p) => p.severity === 'error')
      .map((p) => `${p.message} @ ${p.location[0]?.pointer ?? ''}`);
    expect(errors).toEqual([]);
  });
});
