import { OFFICINE, avanceFile, avanceLine } from '../../imports/support/import-fixtures';
import type { Fleet } from './fleet';

export interface Tally {
  accepted: number;
  refused: number;
  retried: number;
  /** Avance lines accepted, by numéro ASP: each must have its AvanceImported exactly once. */
  avances: string[];
  /** Dossiers whose modification request was accepted. */
  rounds: string[];
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * One command sent until it gets an answer that is not the outage's: 503 (database or shutdown),
 * 409 REQUETE_EN_COURS (a key whose first attempt died with its process) or a cut connection are
 * retried, on whichever api lives, with the same Idempotency-Key, so a command is never done twice.
 */
export const send = async (
  fleet: Fleet,
  tally: Tally,
  req: { path: string; token: (base: string) => string; body: unknown; key: string },
): Promise<{ status: number; body: Record<string, unknown> }> => {
  for (let attempt = 0; attempt < 400; attempt++) {
    if (attempt > 0) tally.retried++;
    const apis = fleet.apis();
    const api = apis[attempt % Math.max(apis.length, 1)];
    if (!api?.base) {
      await sleep(100);
      continue;
    }
    try {
      const r = await fetch(`${api.base}${req.path}`, {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${req.token(api.base)}`,
          'Content-Type': 'application/json',
          'Idempotency-Key': req.key,
        },
        body: JSON.stringify(req.body),
        signal: AbortSignal.timeout(30_000),
      });
      const body = (await r.json().catch(() => ({}))) as Record<string, unknown>;
      if (r.status === 503 || (r.status === 409 && body.code === 'REQUETE_EN_COURS')) {
        await sleep(100);
        continue;
      }
      if (r.status < 300) tally.accepted++;
      else tally.refused++;
      return { status: r.status, body };
    } catch {
      await sleep(100);
    }
  }
  throw new Error(`${req.path} : aucune réponse définitive après 400 essais`);
};

let fileSeq = 0;

/** Imports avance files of `lines` lines until `until`; the accepted lines go to the tally. */
export const importLoop = async (
  fleet: Fleet,
  tally: Tally,
  token: () => string,
  lines: number,
  until: number,
  tag: string,
): Promise<void> => {
  while (Date.now() < until) {
    const n = ++fileSeq;
    const file = avanceFile(
      Array.from({ length: lines }, (_, i) =>
        avanceLine(i + 1, { numeroEditeur: String(n % 99_999).padStart(5, '0') }),
      ),
      OFFICINE,
    );
    const r = await send(fleet, tally, {
      path: '/api/v1/imports/avance',
      token,
      body: file,
      key: `faults-${tag}-${n}`,
    });
    if (r.status >= 300) throw new Error(`import refusé : ${r.status} ${JSON.stringify(r.body)}`);
    const reported = (r.body.lines ?? []) as Array<{ numeroASP?: string }>;
    for (const l of reported) if (l.numeroASP) tally.avances.push(l.numeroASP);
  }
};
