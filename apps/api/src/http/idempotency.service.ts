import { createHash } from 'node:crypto';
import type { SqlClient } from '@segur/event-store';
import type { Principal } from '@segur/auth';
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

/**
 * `Idempotency-Key`: same key + same request → the same answer, nothing done twice. The key is
 * claimed BEFORE the work (insert-if-absent), so two racing retries cannot both execute.
 * Refusals (4xx) are kept as answers too; a crash or 5xx releases the key for a retry.
 */
export class IdempotencyService {
  constructor(private readonly sql: SqlClient) {}

  async run(
    principal: Principal,
    key: string,
    hash: string,
    work: () => Promise<StoredResponse>,
  ): Promise<StoredResponse & { replayed: boolean }> {
    if (key.length === 0 || key.length > 200)
      throw new ProblemError(400, 'REQUETE_INVALIDE', 'Idempotency-Key : 1 à 200 caractères');
    const claimed = await this.sql.query(
      `INSERT INTO idempotency_keys (principal, key, request_hash) VALUES ($1, $2, $3)
       ON CONFLICT (principal, key) DO NOTHING RETURNING key`,
      [principal.sub, key, hash],
    );
    if (claimed.rowCount === 0) {
      const r = await this.sql.query<{
        request_hash: string;
        status: number | null;
        headers: Record<string, string>;
        body: unknown;
      }>(
        'SELECT request_hash, status, headers, body FROM idempotency_keys WHERE principal = $1 AND key = $2',
        [principal.sub, key],
      );
      const row = r.rows[0];
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
        );
      return { status: row.status, headers: row.headers ?? {}, body: row.body, replayed: true };
    }
    let response: StoredResponse;
    try {
      response = await work();
    } catch (e) {
      if (e instanceof ProblemError && e.status < 500) {
        const body = { status: e.status, code: e.code, detail: e.message, errors: e.errors };
        await this.store(principal, key, { status: e.status, headers: { 'x-problem': '1' }, body });
      } else {
        await this.sql.query('DELETE FROM idempotency_keys WHERE principal = $1 AND key = $2', [
          principal.sub,
          key,
        ]);
      }
      throw e;
    }
    await this.store(principal, key, response);
    return { ...response, replayed: false };
  }

  private async store(principal: Principal, key: string, r: StoredResponse): Promise<void> {
    await this.sql.query(
      'UPDATE idempotency_keys SET status = $3, headers = $4, body = $5 WHERE principal = $1 AND key = $2',
      [principal.sub, key, r.status, JSON.stringify(r.headers), JSON.stringify(r.body ?? null)],
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
