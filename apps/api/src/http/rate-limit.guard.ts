import {
  Inject,
  Injectable,
  SetMetadata,
  type CanActivate,
  type ExecutionContext,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ThrottlerStorageService, type ThrottlerStorage } from '@nestjs/throttler';
import type { Request } from 'express';
import type { Principal } from '@segur/auth';
import { APP_CONFIG, type AppConfig } from '@segur/platform';
import { ProblemError } from './problem';
import { RedisThrottlerStorage } from './rate-limit.storage';

/** The families of routes that cost the most, each with its own budget per principal. */
export type RateLimitFamily = 'imports' | 'commands' | 'webhooks';

export const RATE_LIMIT_KEY = 'segur:rate-limit';

/** Counts every request to the route (or controller) against the principal's budget for `family`. */
export const RateLimited = (family: RateLimitFamily): MethodDecorator & ClassDecorator =>
  SetMetadata(RATE_LIMIT_KEY, family);

const FAMILY_NAMES: Record<RateLimitFamily, string> = {
  imports: 'imports',
  commands: 'commandes',
  webhooks: 'gestion des webhooks',
};

/**
 * Per-principal rate limits (429 `TROP_DE_REQUETES` with Retry-After). Registered after AuthGuard,
 * so it counts authenticated principals (role and `sub`), never a caller that got 401/403. The
 * counters live in Redis in server mode (every api process shares them) and in memory in embedded
 * mode (one process).
 */
@Injectable()
export class RateLimitGuard implements CanActivate, OnApplicationShutdown {
  private readonly storage: ThrottlerStorage & { close?: () => Promise<void> };

  constructor(
    private readonly reflector: Reflector,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.storage = config.redisUrl
      ? new RedisThrottlerStorage(config.redisUrl, config.bullmqPrefix)
      : new ThrottlerStorageService();
  }

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const family = this.reflector.getAllAndOverride<RateLimitFamily | undefined>(RATE_LIMIT_KEY, [
      ctx.getHandler(),
      ctx.getClass(),
    ]);
    if (!family) return true;
    const req = ctx.switchToHttp().getRequest<Request & { principal?: Principal }>();
    const principal = req.principal;
    if (!principal) return true;
    const limits = this.config.rateLimits;
    const limit = limits[family];
    const key = `${principal.role}:${principal.sub}`;
    const record = await this.storage.increment(key, limits.windowMs, limit, limits.windowMs, family);
    if (!record.isBlocked && record.totalHits <= limit) return true;
    const retryAfter = Math.max(1, record.timeToBlockExpire || record.timeToExpire);
    throw new ProblemError(
      429,
      'TROP_DE_REQUETES',
      `Trop de requêtes (${FAMILY_NAMES[family]}) : ${limit} au plus par fenêtre de ${Math.round(limits.windowMs / 1000)} s ; réessayez dans ${retryAfter} s`,
      undefined,
      { 'Retry-After': String(retryAfter) },
    );
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.storage instanceof ThrottlerStorageService) this.storage.onApplicationShutdown();
    else await this.storage.close?.();
  }
}
