import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import {
  exitOnStartupError,
  installProcessPolicy,
  loadConfig,
  PinoNestLogger,
  shutdownOnSignals,
} from '@segur/platform';
import { openEngine } from '@segur/engine';
import { WorkerAppModule } from './worker-app.module';

/**
 * `npm run start:worker` (server mode): projections, timers, emails and webhooks, no HTTP.
 * Run as many as you like: advisory locks and leases keep each piece of work single.
 */
const main = async (): Promise<void> => {
  const config = loadConfig();
  const infra = await openEngine(config);
  installProcessPolicy(infra.logger);
  const app = await NestFactory.createApplicationContext(WorkerAppModule.forRoot(infra), {
    logger: new PinoNestLogger(infra.logger),
  });
  infra.logger.info({ mode: config.redisUrl ? 'bullmq' : 'intégré' }, 'worker prêt');
  shutdownOnSignals(
    async () => {
      await app.close();
      await infra.close();
    },
    { logger: infra.logger, timeoutMs: config.shutdownTimeoutMs },
  );
};

main().catch(exitOnStartupError);
