import { Inject, Injectable } from '@nestjs/common';
import { INFRA, type Infrastructure } from '@segur/application';

export interface ReadinessCheck {
  name: string;
  check(): Promise<Record<string, unknown>>;
}

export const READINESS_CHECKS = Symbol('READINESS_CHECKS');

@Injectable()
export class ReadinessService {
  private readonly extra: ReadinessCheck[] = [];

  constructor(@Inject(INFRA) private readonly infra: Infrastructure) {}

  register(check: ReadinessCheck): void {
    this.extra.push(check);
  }

  async check(): Promise<{ status: 'ok' | 'degraded'; checks: Record<string, unknown> }> {
    const checks: Record<string, unknown> = {};
    let ok = true;
    try {
      checks.eventStore = {
        status: 'ok',
        kind: this.infra.store.name,
        head: await this.infra.store.headPosition(),
      };
    } catch (e) {
      ok = false;
      checks.eventStore = { status: 'down', error: (e as Error).message };
    }
    for (const c of this.extra) {
      try {
        checks[c.name] = await c.check();
      } catch (e) {
        ok = false;
        checks[c.name] = { status: 'down', error: (e as Error).message };
      }
    }
    return { status: ok ? 'ok' : 'degraded', checks };
  }
}
