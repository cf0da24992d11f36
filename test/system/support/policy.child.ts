import { createLogger, installProcessPolicy, shutdownOnSignals } from '@segur/platform';

/**
 * A process with the production policy and shutdown path and nothing else: the parent test tells it
 * what to throw (`POLICY_CASE`) and watches whether and how it exits.
 */
const logger = createLogger('info');
installProcessPolicy(logger);
shutdownOnSignals(async () => logger.info('fermeture'), { logger, timeoutMs: 5_000 });
const keepAlive = setInterval(() => undefined, 1_000);
process.send?.({ ready: true });

/** Tells the parent the process outlived the error, then leaves cleanly. */
const reportAlive = (): void => {
  setTimeout(() => {
    process.send?.({ alive: true });
    clearInterval(keepAlive);
    process.exit(0);
  }, 200);
};

setTimeout(() => {
  switch (process.env.POLICY_CASE) {
    case 'rejection':
      void Promise.reject(new Error('oubli de catch'));
      reportAlive();
      break;
    case 'lost-connection':
      setImmediate(() => {
        throw Object.assign(new Error('terminating connection due to administrator command'), {
          code: '57P01',
        });
      });
      setTimeout(() => {
        process.send?.({ alive: true });
        clearInterval(keepAlive);
        process.exit(0);
      }, 200);
      break;
    case 'bug':
      setImmediate(() => {
        throw new TypeError('état incohérent');
      });
      break;
  }
}, 10);
