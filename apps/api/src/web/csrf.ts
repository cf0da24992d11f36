import type { Request } from 'express';

/**
 * Cross-site request forgery defence of the page forms, with the session cookie's SameSite=Lax:
 * a POST is accepted only when the browser says it comes from one of our own pages (`Origin`, or
 * `Referer` when an older browser sends no Origin). Browsers set both headers themselves and a
 * page of another site cannot forge them; a request with neither is refused too. No token to
 * store, so it works the same with one api process or many (OWASP "verifying origin with
 * standard headers").
 */
export const sameOrigin = (req: Request): boolean => {
  const host = req.get('host');
  if (!host) return false;
  const expected = `${req.protocol}://${host}`;
  const origin = req.get('origin');
  // `Origin: null` (a sandboxed frame, a redirect across sites) is not ours either.
  if (origin !== undefined) return origin === expected;
  const referer = req.get('referer');
  if (!referer) return false;
  try {
    return new URL(referer).origin === expected;
  } catch {
    return false;
  }
};
