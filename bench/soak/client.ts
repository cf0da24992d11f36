import { randomUUID } from 'node:crypto';

export interface Tally {
  accepted: number;
  refused: number;
  retried: number;
}

/**
 * A command sent as a careful client does: an Idempotency-Key, sent again with the same key after
 * a fault (no answer, 5xx, 409 REQUETE_EN_COURS) to the next api that runs. 2xx counts accepted,
 * another 4xx refused.
 */
export const send = async (
  bases: () => readonly string[],
  path: string,
  init: { method: string; token: string; body: unknown },
  tally: Tally,
): Promise<{ status: number; body: unknown } | null> => {
  const key = randomUUID();
  for (let attempt = 0; attempt < 240; attempt++) {
    const list = bases();
    const base = list[attempt % Math.max(1, list.length)];
    if (base !== undefined) {
      try {
        const r = await fetch(`${base}${path}`, {
          method: init.method,
          headers: {
            Authorization: `Bearer ${init.token}`,
            'Content-Type': 'application/json',
            'Idempotency-Key': key,
          },
          body: JSON.stringify(init.body),
          signal: AbortSignal.timeout(30_000),
        });
        const text = await r.text();
        const body = text === '' ? null : (JSON.parse(text) as unknown);
        const inFlight = r.status === 409 && (body as { code?: string } | null)?.code === 'REQUETE_EN_COURS';
        if (r.status < 500 && !inFlight) {
          if (r.status < 300) tally.accepted++;
          else tally.refused++;
          return { status: r.status, body };
        }
      } catch {
        /* no answer: a fault; sent again */
      }
    }
    tally.retried++;
    await new Promise((r) => setTimeout(r, 250));
  }
  return null;
};
