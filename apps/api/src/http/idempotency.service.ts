import { createHash, randomUUID } from 'node:crypto';
import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { SqlClient } from '@segur/event-store';
import type { Principal } from '@segur/auth';
import type { Clock } from '@segur/kernel';
import { APP_CONFIG, CLOCK, SQL_CLIENT, type AppConfig } from '@segur/platform';
import type { Response } from 'express';
import { ProblemError } from './problem';

export interface StoredResponse {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

export const requestHash = (method: string, path: string, body: unknown): string =>
  createHash('sha256')
    .update(`${method} ${path}\n${JSON.stringify(body ?? null)}`)
    .digest('hex');

/** Rows deleted per statement by the purge: short transactions. */
const PURGE_CHUNK = 5_000;

/** How often the expired keys are purged. */
const PURGE_INTERVAL_MS = 3600_000;

/**
 * Taken: a new key, an expired one, or a claim whose lease ran out with the same request (its
 * process died mid-request: the retry does the work, which is written to be done twice without
 * effect — a piece's id comes from the key). A different request on a stale claim is not taken.
 */
const CLAIM = `
INSERT INTO idempotency_keys AS k (principal, key, request_hash, created_at, expires_at, lease_until, claim)
VALUES ($1, $2, $3, $4::timestamptz, $5::timestamptz, $6::timestamptz, $7)
ON CONFLICT (principal, key) DO UPDATE SET
  request_hash = EXCLUDED.request_hash, status = NULL, headers = NULL, body = NULL,
  created_at = EXCLUDED.created_at, expires_at = EXCLUDED.expires_at,
  lease_until = EXCLUDED.lease_until, claim = EXCLUDED.claim
WHERE (k.expires_at <= $4 AND (k.status IS NOT NULL OR k.lease_until IS NULL OR k.lease_until <= $4))
   OR (k.status IS NULL AND (k.lease_until IS NULL OR k.lease_until <= $4) AND k.request_hash = EXCLUDED.request_hash)
RETURNING claim`;

interface KeyRow {
  request_hash: string;
  status: number | null;
  headers: Record<string, string> | null;
  body: unknown;
}

/**
 * `Idempotency-Key`: same key + same request → the same answer, nothing done twice. The key is
 * claimed BEFORE the work (insert-if-absent), so two racing retries cannot both execute.
 * Refusals (4xx) are kept as answers too; a 5xx releases the key for a retry; a crash leaves a
 * claim that a retry takes once its lease has run out. Keys expire after `IDEMPOTENCY_KEY_TTL` and
 * are purged. Instants come from the injected clock.
 */
@Injectable()
export class IdempotencyService implements OnModuleInit, OnModuleDestroy {
  private readonly ttlMs: number;
  private readonly leaseMs: number;
  private purgeTimer: NodeJS.Timeout | null = null;

  constructor(
    @Inject(SQL_CLIENT) private readonly sql: SqlClient,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.ttlMs = config.idempotency.ttlMs;
    this.leaseMs = config.idempotency.leaseMs;
  }

  onModuleInit(): void {
    this.purgeTimer = setInterval(() => {
      this.purgeExpired().catch(() => undefined);
    }, PURGE_INTERVAL_MS);
    this.purgeTimer.unref();
  }

  onModuleDestroy(): void {
    if (this.purgeTimer) clearInterval(this.purgeTimer);
    this.purgeTimer = null;
  }

  private later(ms: number): string {
    return new Date(this.clock.now().getTime() + ms).toISOString();
  }

  /** Deletes expired keys (not a claim still leased), a chunk per statement; returns how many went. */
  async purgeExpired(): Promise<number> {
    let total = 0;
    for (;;) {
      const now = this.clock.now().toISOString();
      const r = await this.sql.query(
        `DELETE FROM idempotency_keys WHERE (principal, key) IN (
           SELECT principal, key FROM idempotency_keys
           WHERE expires_at <= $1::timestamptz
             AND (status IS NOT NULL OR lease_until IS NULL OR lease_until <= $1::timestamptz)
           LIMIT $2)`,
        [now, PURGE_CHUNK],
      );
      total += r.rowCount;
      if (r.rowCount < PURGE_CHUNK) return total;
    }
  }

  async run(
    principal: Principal,
    key: string,
    hash: string,
    work: () => Promise<StoredResponse>,
  ): Promise<StoredResponse & { replayed: boolean }> {
    if (key.length === 0 || key.length > 200)
      throw new ProblemError(400, 'REQUETE_INVALIDE', 'Idempotency-Key : 1 à 200 caractères');
    const claim = randomUUID();
    const now = this.clock.now().toISOString();
    const claimed = await this.sql.query(CLAIM, [
      principal.sub,
      key,
      hash,
      now,
      this.later(this.ttlMs),
      this.later(this.leaseMs),
      claim,
    ]);
    if (claimed.rows.length === 0) {
      const r = await this.sql.query<KeyRow>(
        'SELECT request_hash, status, headers, body FROM idempotency_keys WHERE principal = $1 AND key = $2',
        [principal.sub, key],
      );
      const row = r.rows[0];
      // Purged or released in between: claim again.
      if (!row) return this.run(principal, key, hash, work);
      if (row.request_hash !== hash)
        throw new ProblemError(
          422,
          'IDEMPOTENCE_CLE_REUTILISEE',
          'Cette Idempotency-Key a déjà servi pour une autre requête',
        );
      if (row.status === null)
        throw new ProblemError(
          409,
          'REQUETE_EN_COURS',
          'Une requête avec cette Idempotency-Key est en cours de traitement',
          undefined,
          { 'Retry-After': String(Math.ceil(this.leaseMs / 1000)) },
        );
      return { status: row.status, headers: row.headers ?? {}, body: row.body, replayed: true };
    }
    // A long request (a large import) keeps its claim: renewed well before the lease runs out.
    const renew = setInterval(
      () => {
        this.sql
          .query(
            'UPDATE idempotency_keys SET lease_until = $4::timestamptz WHERE principal = $1 AND key = $2 AND claim = $3',
            [principal.sub, key, claim, this.later(this.leaseMs)],
          )
          .catch(() => undefined);
      },
      Math.max(250, Math.floor(this.leaseMs / 3)),
    );
    renew.unref();
    let response: StoredResponse;
    try {
      response = await work();
    } catch (e) {
      clearInterval(renew);
      if (e instanceof ProblemError && e.status < 500) {
        const body = { status: e.status, code: e.code, detail: e.message, errors: e.errors };
        await this.store(principal, key, claim, { status: e.status, headers: { 'x-problem': '1' }, body });
      } else {
        await this.sql.query(
          'DELETE FROM idempotency_keys WHERE principal = $1 AND key = $2 AND claim = $3',
          [principal.sub, key, claim],
        );
      }
      throw e;
    }
    clearInterval(renew);
    await this.store(principal, key, claim, response);
    return { ...response, replayed: false };
  }

  private async store(principal: Principal, key: string, claim: string, r: StoredResponse): Promise<void> {
    await this.sql.query(
      `UPDATE idempotency_keys SET status = $4, headers = $5, body = $6, lease_until = NULL
       WHERE principal = $1 AND key = $2 AND claim = $3`,
      [principal.sub, key, claim, r.status, JSON.stringify(r.headers), JSON.stringify(r.body ?? null)],
    );
  }

  /**
   * `work`'s answer sent on `res`: once per `Idempotency-Key` (its stored answer replayed after),
   * or simply once without a key. `hash` is computed only for a request that carries a key.
   */
  async send(
    res: Response,
    principal: Principal,
    key: string | undefined,
    hash: () => string,
    work: () => Promise<StoredResponse>,
  ): Promise<void> {
    const response = key ? await this.run(principal, key, hash(), work) : await work();
    if (response.headers['x-problem']) {
      const p = response.body as { status: number; code: string; detail: string; errors?: [] };
      throw new ProblemError(p.status, p.code, p.detail, p.errors);
    }
    for (const [k, v] of Object.entries(response.headers)) res.setHeader(k, v);
    if ('replayed' in response && response.replayed) res.setHeader('Idempotent-Replayed', 'true');
    res.status(response.status).json(response.body);
  }
}
