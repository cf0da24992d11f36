import { openInfrastructure, type AppConfig, type Infrastructure, type OpenOptions } from '@segur/platform';
import { migrateEngine } from './migrations';

/** The infrastructure of a process (api, worker, cli), its tables created. */
export const openEngine = (
  config: AppConfig,
  options: Omit<OpenOptions, 'migrate'> = {},
): Promise<Infrastructure> =>
  openInfrastructure(config, {
    ...options,
    migrate: (sql, logger) => migrateEngine(sql, config, logger),
  });
