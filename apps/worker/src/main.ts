import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import {
  exitOnStartupError,
  installProcessPolicy,
  loadConfig,
  PinoNestLogger,
  collectProcessMetrics,
  shutdownOnSignals,
} from '@segur/platform';
import { openEngine } from '@segur/engine';
import { WorkerAppModule } from './worker-app.module';
import { startWorkerHttp } from './worker-http';

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
  collectProcessMetrics();
  const http =
    config.metrics.workerHttpPort === 0 ? null : await startWorkerHttp(config.metrics, config.host);
  infra.logger.info(
    { mode: config.redisUrl ? 'bullmq' : 'intégré', metrics: http ? `${http.url}/metrics` : 'désactivées' },
    'worker prêt',
  );
  shutdownOnSignals(
    async () => {
      await http?.close();
      await app.close();
      await infra.close();
    },
    { logger: infra.logger, timeoutMs: config.shutdownTimeoutMs },
  );
};

main().catch(exitOnStartupError);
