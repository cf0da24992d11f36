import { ConfigError } from './config.error';
import { DataDirLockedError } from './data-dir-lock';

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

/** SIGINT / SIGTERM: close once (projections commit or roll back, the DATA_DIR lock is released), then exit. */
export const closeOnSignals = (close: () => Promise<void>): void => {
  let closing = false;
  const stop = (): void => {
    if (closing) return;
    closing = true;
    close().then(
      () => process.exit(0),
      (e: unknown) => {
        process.stderr.write(`Arrêt incomplet : ${e instanceof Error ? e.message : String(e)}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
};
