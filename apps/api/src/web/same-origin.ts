import type { Request } from 'express';

/**
 * CSRF defence of the forms, second layer after the `SameSite=Lax` session cookie: a state-changing
 * POST must say it comes from a page of this very site. Browsers send `Origin` on every form POST
 * (and `Sec-Fetch-Site` too); a request with neither is refused as well, since only a script outside
 * a browser would omit both, and it has the JSON API with a bearer token for that.
 */
export const isSameOrigin = (req: Request): boolean => {
  const origin = req.header('origin');
  if (origin !== undefined && origin !== 'null') {
    try {
      return new URL(origin).host === req.header('host');
    } catch {
      return false;
    }
  }
  return req.header('sec-fetch-site') === 'same-origin';
};
