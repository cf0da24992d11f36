import type { Request } from 'express';
import { v7 as uuidv7 } from 'uuid';
import type { Principal } from '@segur/auth';
import { ProblemError } from './problem';

/** The principal the guard verified (a route without authentication has none). */
export const principalOf = (req: SegurRequest): Principal => {
  if (!req.principal) throw new Error('route sans authentification : principal indisponible');
  return req.principal;
};

export type SegurRequest = Request & { principal?: Principal; correlationId?: string };

const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** `X-Correlation-Id` from the caller when it is sane, otherwise a new UUID v7. */
export const correlationIdOf = (req: SegurRequest): string => {
  if (req.correlationId) return req.correlationId;
  const h = req.header('x-correlation-id');
  req.correlationId = h && SAFE_ID.test(h) ? h : uuidv7();
  return req.correlationId;
};

/** `If-Match: "5"` (or W/"5", or 5) → 5; absent → undefined; `*` → undefined. */
export const ifMatchOf = (req: Request): number | undefined => {
  const h = req.header('if-match');
  if (h === undefined || h.trim() === '*') return undefined;
  const m = /^\s*(?:W\/)?"?(\d+)"?\s*$/.exec(h);
  if (!m?.[1])
    throw new ProblemError(400, 'REQUETE_INVALIDE', 'En-tête If-Match invalide : "<version>" attendu');
  return Number(m[1]);
};
