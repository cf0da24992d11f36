import {
  createDatabase,
  eventually,
  openSse,
  startAppProcess,
  terminateBackends,
  type AppProcess,
} from './support/app-process';
import { OFFICINE, avanceFile, avanceLine, enrolment } from '../imports/support/import-fixtures';

// PostgreSQL restarts, fails over, or an operator terminates backends: every connection of the
// engine ends at once, the idle ones and the LISTEN one included. The process must live through it
// (an unheard 'error' of a socket used to end it), answer 503 rather than 500 while it lasts, and
// then work again: commands, projections and live SSE streams. A real process on a database of its
// own, so terminating its backends touches nothing else.
const baseUrl = process.env.TEST_DATABASE_URL;
const describeOnPostgres = baseUrl ? describe : describe.skip;
if (!baseUrl)
  process.stderr.write(
    '\n[IGNORÉ] connection-loss.e2e : TEST_DATABASE_URL absent, il faut un serveur PostgreSQL dont on coupe les connexions.\n',
  );

jest.setTimeout(180_000);

const WEBHOOK_SECRET_KEY = '2a'.repeat(32);

describeOnPostgres('connexion PostgreSQL perdue (pg_terminate_backend de toutes les sessions)', () => {
  let db: Awaited<ReturnType<typeof createDatabase>>;
  let app: AppProcess;

  beforeAll(async () => {
    db = await createDatabase(baseUrl as string, 'segur_connloss');
    app = await startAppProcess({ DATABASE_URL: db.url, WEBHOOK_SECRET_KEY });
  });

  afterAll(async () => {
    await app?.stop();
    await db?.drop();
  });

  const put = (body: unknown): Promise<Response> =>
    fetch(`${app.base}/api/v1/fournisseurs/${OFFICINE.siret}`, {
      method: 'PUT',
      headers: { Authorization: `Bearer ${app.token('assistance')}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('le processus survit, répond 503 BASE_INDISPONIBLE ou réussit, puis tout reprend', async () => {
    expect((await put(enrolment(OFFICINE.numeroAns))).status).toBeLessThan(300);
    const sse = await openSse(app.base, app.token('auditeur'));

    const terminated = await terminateBackends(baseUrl as string, db.name);
    expect(terminated).toBeGreaterThan(0);

    // Commands right after the cut: each answers 503 with its code, or succeeds once reconnected;
    // never a 500, never a dead process.
    const statuses: number[] = [];
    await eventually('une commande réussit après la coupure', async () => {
      const r = await put({
        ...enrolment(OFFICINE.numeroAns),
        email: `c${statuses.length}@pharmacie.example`,
      });
      statuses.push(r.status);
      if (r.status === 503) expect(((await r.json()) as { code: string }).code).toBe('BASE_INDISPONIBLE');
      return r.status < 300;
    });
    expect(statuses.filter((s) => s !== 503 && s >= 300)).toEqual([]);
    expect(app.child.exitCode).toBeNull();

    // Projections and the live stream resume: an avance imported now reaches the open SSE stream.
    const imported = await fetch(`${app.base}/api/v1/imports/avance`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${app.token('fournisseur', OFFICINE.siret)}`,
        'Content-Type': 'application/json',
      },
      body: JSON.stringify(avanceFile([avanceLine(1)])),
    });
    expect(imported.status).toBeLessThan(300);
    await eventually('l’avance arrive sur le flux SSE ouvert avant la coupure', () =>
      sse.text().includes('event: AvanceImported'),
    );

    await eventually('/ready redevient 200', async () => (await fetch(`${app.base}/ready`)).status === 200);
    const metrics = await (await fetch(`${app.base}/metrics`)).text();
    // The LISTEN connection's loss was heard where it happened and the connection reopened: no
    // error reached the process-wide last resort.
    const lost = /segur_database_connections_lost_total\{where="listen"\} (\d+)/.exec(metrics);
    expect(Number(lost?.[1] ?? 0)).toBeGreaterThan(0);
    const unheard = app
      .output()
      .split('\n')
      .filter((l) => l.includes('non interceptée'));
    expect(unheard).toEqual([]);
    expect(metrics).not.toMatch(/segur_unhandled_errors_total\{[^}]*\} [1-9]/);
    const ready = (await (await fetch(`${app.base}/ready`)).json()) as {
      checks: { notifications: { status: string } };
    };
    expect(ready.checks.notifications.status).toBe('ok');
    expect(app.child.exitCode).toBeNull();
    sse.res.destroy();
  });
});
