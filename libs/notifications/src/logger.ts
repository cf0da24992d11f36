// Same call shape as pino (`logger.warn({ jobId }, 'message')`), so the application injects its pino
// instance directly and tests inject a silent or recording one.
export interface Logger {
  info(obj: Record<string, unknown>, msg?: string): void;
  warn(obj: Record<string, unknown>, msg?: string): void;
  error(obj: Record<string, unknown>, msg?: string): void;
}

export const silentLogger: Logger = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

export const errorMessage = (e: unknown): string => (e instanceof Error ? e.message : String(e));
