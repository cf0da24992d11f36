import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import {
  ConfigError,
  DataDirLockedError,
  PinoNestLogger,
  loadConfig,
  openInfrastructure,
} from '@segur/application';
import { WorkerAppModule } from './worker-app.module';

/**
 * `npm run start:worker` (server mode): projections, timers, emails and webhooks, no HTTP.
 * Run as many as you like: advisory locks and leases keep each piece of work single.
 */
const main = async (): Promise<void> => {
  const config = loadConfig();
  const infra = await openInfrastructure(config);
  const app = await NestFactory.createApplicationContext(WorkerAppModule.forRoot(infra), {
    logger: new PinoNestLogger(infra.logger),
  });
  app.enableShutdownHooks();
  infra.logger.info({ mode: config.redisUrl ? 'bullmq' : 'intégré' }, 'worker prêt');
  const stop = async (): Promise<void> => {
    await app.close();
    await infra.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
};

main().catch((e: unknown) => {
  if (e instanceof ConfigError || e instanceof DataDirLockedError) {
    process.stderr.write(`${e.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
