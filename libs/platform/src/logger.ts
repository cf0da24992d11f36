import type { LoggerService } from '@nestjs/common';
import pino, { type Logger } from 'pino';

export const createLogger = (level: string): Logger =>
  pino({ level, base: { service: 'segur-dossiers' }, timestamp: pino.stdTimeFunctions.isoTime });

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
