import type { Logger } from 'pino';
import { isConnectionLost } from '@segur/event-store';
import { ConfigError } from './config.error';
import { DataDirLockedError } from './data-dir-lock';
import { unhandledErrors } from './process-metrics';

/**
 * How every entry point (api, worker, embedded, cli) dies at start: a configuration or lock
 * problem is a message for the operator (exit 2), anything else a crash with its stack (exit 1).
 */
export const exitOnStartupError = (e: unknown): never => {
  if (e instanceof ConfigError || e instanceof DataDirLockedError) {
    process.stderr.write(`${e.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
};

let stopping: ((signal: string, exitCode: number) => void) | null = null;

/**
 * The one shutdown path of api, worker and embedded processes, on SIGTERM or SIGINT: `close`
 * runs once (the app first: SSE streams end, the HTTP server stops accepting and finishes its
 * requests, runners stop at a batch boundary, BullMQ workers finish their job; then the pools and
 * the DATA_DIR lock), then exit 0. Past `timeoutMs` the process exits 1 and says so. Nest's own
 * shutdown hooks are not enabled: they re-send the signal after their run, which killed the
 * process before the pools were closed.
 */
export const shutdownOnSignals = (
  close: () => Promise<void>,
  options: { logger: Logger; timeoutMs: number },
): void => {
  const { logger, timeoutMs } = options;
  let closing = false;
  const stop = (signal: string, exitCode: number): void => {
    if (closing) {
      logger.warn({ signal }, 'arrêt déjà en cours');
      return;
    }
    closing = true;
    const t0 = Date.now();
    logger.info({ signal, timeoutMs }, 'arrêt demandé');
    setTimeout(() => {
      logger.error({ signal, timeoutMs }, 'arrêt incomplet : délai dépassé, sortie forcée');
      process.exit(1);
    }, timeoutMs).unref();
    close().then(
      () => {
        logger.info({ ms: Date.now() - t0 }, 'arrêt terminé');
        process.exit(exitCode);
      },
      (e: unknown) => {
        logger.error({ err: e instanceof Error ? e.message : String(e) }, 'arrêt incomplet');
        process.exit(1);
      },
    );
  };
  stopping = stop;
  process.on('SIGINT', () => stop('SIGINT', 0));
  process.on('SIGTERM', () => stop('SIGTERM', 0));
};

/**
 * What a process does with an error nobody caught. A rejected promise is logged and counted, and
 * the process goes on: one forgotten `catch` must not take every dossier down. An exception is
 * logged and counted too; a lost database connection (an `error` event of a socket the server
 * closed) is survivable, as pools and listeners reconnect; anything else leaves the process in an
 * unknown state, so it stops through the shutdown path, with exit code 1, for its supervisor to
 * restart it.
 */
export const installProcessPolicy = (logger: Logger): void => {
  process.on('unhandledRejection', (reason) => {
    unhandledErrors().inc({ kind: 'rejection' });
    logger.error(
      { err: reason instanceof Error ? (reason.stack ?? reason.message) : String(reason) },
      'promesse rejetée sans traitement',
    );
  });
  process.on('uncaughtException', (error) => {
    unhandledErrors().inc({ kind: 'exception' });
    if (isConnectionLost(error)) {
      logger.warn({ err: error.message }, 'connexion perdue non interceptée : le processus continue');
      return;
    }
    logger.fatal({ err: error.stack ?? error.message }, 'exception non interceptée : arrêt du processus');
    if (stopping) stopping('uncaughtException', 1);
    else process.exit(1);
  });
};
