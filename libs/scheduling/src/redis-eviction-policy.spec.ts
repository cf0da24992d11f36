import type { Logger } from '@segur/kernel';
import { checkEvictionPolicy } from './redis-eviction-policy';

describe('contrôle de maxmemory-policy', () => {
  const recording = (): { logger: Logger; warnings: string[] } => {
    const warnings: string[] = [];
    return {
      warnings,
      logger: { info: () => undefined, error: () => undefined, warn: (_o, m) => void warnings.push(m ?? '') },
    };
  };

  test('avertit bruyamment quand Redis peut évincer des clés', async () => {
    const { logger, warnings } = recording();
    const policy = await checkEvictionPolicy(
      { config: async () => ['maxmemory-policy', 'allkeys-lru'] },
      logger,
    );
    expect(policy).toBe('allkeys-lru');
    expect(warnings[0]).toContain('noeviction');
  });

  test('silencieux avec noeviction ; avertit si CONFIG est interdit', async () => {
    const ok = recording();
    await checkEvictionPolicy({ config: async () => ['maxmemory-policy', 'noeviction'] }, ok.logger);
    expect(ok.warnings).toEqual([]);
    const forbidden = recording();
    await checkEvictionPolicy(
      { config: async () => Promise.reject(new Error('unknown command CONFIG')) },
      forbidden.logger,
    );
    expect(forbidden.warnings[0]).toContain('maxmemory-policy');
  });
});
