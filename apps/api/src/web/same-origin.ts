import type { Request } from 'express';

const hostOf = (url: string): string | null => {
  try {
    return new URL(url).host;
  } catch {
    return null;
  }
};

/**
 * CSRF defence of every page form, second layer after the `SameSite=Lax` session cookie: a
 * state-changing POST must say it comes from a page of this very site. Browsers set `Origin` on form
 * posts (and `Sec-Fetch-Site`; an older one at least `Referer`) and a page of another site cannot
 * forge them; a request with none of them is refused, since only a script outside a browser omits
 * them all, and it has the JSON API with a bearer token for that. No token to store, so it works the
 * same with one api process or many (OWASP "verifying origin with standard headers"). The host is
 * compared, not the scheme: behind a TLS-terminating proxy the app itself sees plain HTTP.
 */
export const isSameOrigin = (req: Request): boolean => {
  const host = req.header('host');
  if (!host) return false;
  const origin = req.header('origin');
  // `Origin: null` (a sandboxed frame, a redirect across sites) is nobody's page: never ours.
  if (origin === 'null') return false;
  if (origin !== undefined) return hostOf(origin) === host;
  const fetchSite = req.header('sec-fetch-site');
  if (fetchSite !== undefined) return fetchSite === 'same-origin';
  const referer = req.header('referer');
  return referer !== undefined && hostOf(referer) === host;
};
