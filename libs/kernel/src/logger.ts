// The call shape of pino (`logger.warn({ jobId }, 'message')`): every library logs through this
// port, the processes inject their pino instance, tests a silent or recording one.
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
