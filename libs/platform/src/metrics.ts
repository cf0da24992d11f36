import { register } from 'prom-client';

/**
 * A metric of the process-wide registry, created on first use: prom-client refuses to register a
 * name twice, and several apps share one process in tests and in embedded mode.
 */
export const metricOnce = <T>(name: string, make: () => T): T =>
  (register.getSingleMetric(name) as T | undefined) ?? make();
