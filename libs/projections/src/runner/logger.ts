// Same call shape as pino (`logger.warn({ projection }, 'message')`): the application injects its
// pino instance, tests a silent or recording one.
export interface ProjectionLogger {
  info(obj: Record<string, unknown>, msg?: string): void;
  warn(obj: Record<string, unknown>, msg?: string): void;
  error(obj: Record<string, unknown>, msg?: string): void;
}

export const silentProjectionLogger: ProjectionLogger = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

export const errorMessage = (e: unknown): string => (e instanceof Error ? e.message : String(e));
