import { exitOnStartupError, installProcessPolicy, loadConfig, shutdownOnSignals } from '@segur/platform';
import { openEngine } from '@segur/engine';
import { createApiApp } from './bootstrap';

/** `npm run start:api`: the HTTP API alone (server mode; the worker runs separately). */
const main = async (): Promise<void> => {
  const config = loadConfig();
  const infra = await openEngine(config);
  installProcessPolicy(infra.logger);
  const app = await createApiApp(infra);
  await app.listen(config.port, config.host);
  infra.logger.info({ url: await app.getUrl() }, 'API démarrée');
  shutdownOnSignals(
    async () => {
      await app.close();
      await infra.close();
    },
    { logger: infra.logger, timeoutMs: config.shutdownTimeoutMs },
  );
};

main().catch(exitOnStartupError);
