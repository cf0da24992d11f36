import type { LoggerService } from '@nestjs/common';
import pino, { type DestinationStream, type Logger } from 'pino';
import pretty from 'pino-pretty';
import { logContext } from './log-context';

/** `json` for machines (files, collectors), `pretty` for a person at a terminal. */
export type LogFormat = 'json' | 'pretty';

/** LOG_FORMAT when set, otherwise pretty on a terminal and JSON anywhere else. */
export const logFormatOf = (
  env: Record<string, string | undefined>,
  isTty = process.stdout.isTTY === true,
): LogFormat =>
  env.LOG_FORMAT === 'json' || env.LOG_FORMAT === 'pretty' ? env.LOG_FORMAT : isTty ? 'pretty' : 'json';

/**
 * One line per message on a terminal: `12:04:31 INFO  [correlationId] message key=value`. In the main
 * thread (no transport worker): lines keep their order with what the process writes itself.
 */
const prettyStream = (): DestinationStream =>
  pretty({
    singleLine: true,
    colorize: true,
    translateTime: 'SYS:HH:MM:ss',
    ignore: 'pid,hostname,service',
    messageFormat: '{if correlationId}[{correlationId}] {end}{msg}',
    sync: true,
  });

/** `destination`: where JSON lines go instead of stdout (tests read them back). */
export const createLogger = (
  level: string,
  format: LogFormat = 'json',
  destination?: DestinationStream,
): Logger =>
  pino(
    {
      level,
      base: { service: 'segur-dossiers' },
      timestamp: pino.stdTimeFunctions.isoTime,
      // The request's correlation id on every line written while handling it (see log-context.ts).
      // Not when a child logger already binds it (pino-http's response logger): one key per line.
      mixin: (_merge, _level, logger) => {
        const context = logContext.getStore();
        return context && !('correlationId' in logger.bindings()) ? context : {};
      },
    },
    ...(destination ? [destination] : format === 'pretty' ? [prettyStream()] : []),
  );

/** Nest's own logs go through pino too, so every line is JSON with the same fields. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}
  log(message: unknown, context?: string): void {
    this.logger.info({ context }, String(message));
  }
  error(message: unknown, trace?: string, context?: string): void {
    this.logger.error({ context, trace }, String(message));
  }
  warn(message: unknown, context?: string): void {
    this.logger.warn({ context }, String(message));
  }
  debug(message: unknown, context?: string): void {
    this.logger.debug({ context }, String(message));
  }
  verbose(message: unknown, context?: string): void {
    this.logger.trace({ context }, String(message));
  }
}
