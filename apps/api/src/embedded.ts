import pino from 'pino';
import { exitOnStartupError, installProcessPolicy, loadConfig, shutdownOnSignals } from '@segur/platform';
import { WorkerModule } from '@segur/worker';
import { openEngine } from '@segur/engine';
import { createApiApp } from './bootstrap';
import { demoReport, seedDemo } from './demo/demo-seed';

/**
 * `npm start`: the whole system in one process — API, projections, in-process timers, mail to
 * `.eml` files (or SMTP_URL) — on PGlite in DATA_DIR unless DATABASE_URL is set.
 */
const main = async (): Promise<void> => {
  const config = loadConfig();
  const infra = await openEngine(config);
  installProcessPolicy(infra.logger);
  const app = await createApiApp(infra, { imports: [WorkerModule] });
  await app.listen(config.port, config.host);
  // `npm run demo` (`--demo`): seed the embedded store through the command pipeline, then print as usual.
  const demo = process.argv.includes('--demo') ? demoReport(await seedDemo(app)) : '';
  const url = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${config.port}`;
  const store = config.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `PGlite dans ${config.dataDir}`;
  // Written through the logger's own stream, behind the start-up logs it still holds (pino writes
  // stdout asynchronously): the addresses are the last thing on screen.
  const out = (infra.logger as unknown as Record<symbol, { write(text: string): void }>)[
    pino.symbols.streamSym
  ];
  (out ?? process.stdout).write(
    [
      demo,
      'Ségur numérique — moteur des dossiers de financement',
      `  Pages web    ${url}/        (connexion de développement : ${url}/connexion)`,
      `  API          ${url}/api/v1`,
      `  Swagger UI   ${url}/docs     (OpenAPI : ${url}/openapi.json)`,
      `  Événements   ${url}/asyncapi.json (AsyncAPI) ; schémas ${url}/schemas/events/<Type>.v<n>.json`,
      `  Santé        ${url}/health   ${url}/ready   ${url}/metrics`,
      `  Stockage     ${store} ; échéances ${config.redisUrl ? 'BullMQ' : 'planificateur intégré'} ; courriels ${config.smtpUrl ? 'SMTP' : `fichiers .eml dans ${config.dataDir}/outbox`}`,
      '',
      'Obtenir un jeton (dans un autre terminal) :',
      '  npm run token -- gestionnaire',
      '  npm run token -- fournisseur 79256844600019',
      `  curl -H "Authorization: Bearer $(npm run -s token -- assistance)" ${url}/api/v1/fournisseurs/79256844600019`,
      '',
    ].join('\n'),
  );
  shutdownOnSignals(
    async () => {
      await app.close();
      await infra.close();
    },
    { logger: infra.logger, timeoutMs: config.shutdownTimeoutMs },
  );
};

main().catch(exitOnStartupError);
