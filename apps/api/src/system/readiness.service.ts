import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import Redis from 'ioredis';
import { INFRA, type Infrastructure } from '@segur/platform';
import { NO_TIMERS, buildProjections } from '@segur/worker';
import { registerStoreMetrics } from './store-metrics';
import { comparePositions } from '@segur/event-store';
import { quarantineCounts, readCheckpoints } from '@segur/projections';
import { withTimeout } from '@segur/kernel';

export interface CheckResult {
  status: 'ok' | 'down';
  [detail: string]: unknown;
}

const answersWithin = <T>(p: Promise<T>, ms: number): Promise<T> =>
  withTimeout(p, ms, `pas de réponse en ${ms} ms`);

/**
 * `/ready`: the store answers, Redis answers (when configured), and each projection's checkpoint
 * against the head. A projection behind is reported, not a failure: reads stay correct (with
 * `X-Min-Position`) and the runner catches up. Events a projection failed on (`quarantine`) are
 * reported as `degraded` in their own check, the answer staying 200.
 */
@Injectable()
export class ReadinessService implements OnModuleDestroy {
  private readonly projections: string[];
  private redis: Redis | null = null;

  constructor(@Inject(INFRA) private readonly infra: Infrastructure) {
    this.projections = buildProjections(infra.config, { scheduler: NO_TIMERS, logger: infra.logger }).map(
      (p) => p.name,
    );
    registerStoreMetrics({
      sql: infra.sql,
      store: infra.store,
      projections: this.projections,
      cacheTtlMs: infra.config.metrics.cacheTtlMs,
    });
  }

  async check(): Promise<{
    status: 'ok' | 'degraded';
    checks: Record<string, CheckResult | Record<string, unknown>>;
  }> {
    const checks: Record<string, CheckResult | Record<string, unknown>> = {};
    let ok = true;
    let head: string | null = null;
    try {
      head = await answersWithin(this.infra.store.headPosition(), 2000);
      checks.eventStore = { status: 'ok', kind: this.infra.store.name, head };
    } catch (e) {
      ok = false;
      checks.eventStore = { status: 'down', error: (e as Error).message };
    }
    try {
      const cps = await answersWithin(readCheckpoints(this.infra.sql, this.projections), 2000);
      checks.projections = Object.fromEntries(
        this.projections.map((p) => {
          const checkpoint = cps.get(p) ?? null;
          return [p, { checkpoint, caughtUp: comparePositions(checkpoint, head) >= 0 }];
        }),
      );
    } catch (e) {
      ok = false;
      checks.projections = { status: 'down', error: (e as Error).message };
    }
    // Quarantine degrades, never fails, readiness: every instance shares the database, so taking
    // one out of the load balancer would not help, and one bad event would become a total outage.
    try {
      const counts = await answersWithin(quarantineCounts(this.infra.sql), 2000);
      const affected = Object.fromEntries(
        [...counts].filter(([, c]) => c.failing + c.quarantined + c.held > 0),
      );
      checks.quarantine = {
        status: Object.keys(affected).length > 0 ? 'degraded' : 'ok',
        projections: affected,
      };
    } catch (e) {
      checks.quarantine = { status: 'unknown', error: (e as Error).message };
    }
    // A lost LISTEN connection delays live reads by one poll, it does not make them wrong: reported
    // while it is being reopened, without failing readiness.
    const lost = this.infra.sql.lostListeners();
    checks.notifications = lost.length > 0 ? { status: 'reconnecting', channels: lost } : { status: 'ok' };
    if (this.infra.config.redisUrl) {
      try {
        this.redis ??= new Redis(this.infra.config.redisUrl, {
          lazyConnect: true,
          maxRetriesPerRequest: 1,
          enableOfflineQueue: false,
        });
        if (this.redis.status === 'wait') await answersWithin(this.redis.connect(), 2000);
        const pong = await answersWithin(this.redis.ping(), 2000);
        checks.redis = { status: pong === 'PONG' ? 'ok' : 'down' };
        if (pong !== 'PONG') ok = false;
      } catch (e) {
        ok = false;
        checks.redis = { status: 'down', error: (e as Error).message };
      }
    }
    return { status: ok ? 'ok' : 'degraded', checks };
  }

  async onModuleDestroy(): Promise<void> {
    this.redis?.disconnect();
  }
}
