import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { closeOnSignals, exitOnStartupError, PinoNestLogger, loadConfig } from '@segur/platform';
import { openEngine } from '@segur/engine';
import { WorkerAppModule } from './worker-app.module';

/**
 * `npm run start:worker` (server mode): projections, timers, emails and webhooks, no HTTP.
 * Run as many as you like: advisory locks and leases keep each piece of work single.
 */
const main = async (): Promise<void> => {
  const config = loadConfig();
  const infra = await openEngine(config);
  const app = await NestFactory.createApplicationContext(WorkerAppModule.forRoot(infra), {
    logger: new PinoNestLogger(infra.logger),
  });
  app.enableShutdownHooks();
  infra.logger.info({ mode: config.redisUrl ? 'bullmq' : 'intégré' }, 'worker prêt');
  closeOnSignals(async () => {
    await app.close();
    await infra.close();
  });
};

main().catch(exitOnStartupError);
