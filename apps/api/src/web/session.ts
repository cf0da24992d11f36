import type { Request, Response } from 'express';
import { InvalidTokenError, type JwtVerifier, type Principal } from '@segur/auth';

export const SESSION_COOKIE = 'segur_session';
/** Same lifetime as the token inside it (`JwtVerifier.sign` default). */
const SESSION_SECONDS = 12 * 60 * 60;

const cookieOf = (req: Request, name: string): string | null => {
  const header = req.headers.cookie;
  if (!header) return null;
  for (const pair of header.split(';')) {
    const eq = pair.indexOf('=');
    if (eq < 0) continue;
    if (pair.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(pair.slice(eq + 1).trim());
      } catch {
        return null;
      }
    }
  }
  return null;
};

/**
 * The session is the very token the API accepts, verified by the same verifier: a page sees exactly
 * what the same person would see through `Authorization: Bearer`. An invalid or expired token is no
 * session at all.
 */
export const principalOfRequest = async (req: Request, verifier: JwtVerifier): Promise<Principal | null> => {
  const token = cookieOf(req, SESSION_COOKIE);
  if (!token) return null;
  try {
    return await verifier.verify(token);
  } catch (e) {
    if (e instanceof InvalidTokenError) return null;
    throw e;
  }
};

// HttpOnly: no script reads the token; SameSite=Lax: another site cannot post a form with it.
// `seconds`: an OIDC session lasts as long as the provider's ID token inside it.
export const setSession = (req: Request, res: Response, token: string, seconds = SESSION_SECONDS): void => {
  res.cookie(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'lax',
    secure: req.secure,
    path: '/',
    maxAge: seconds * 1000,
  });
};

export const clearSession = (req: Request, res: Response): void => {
  res.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: 'lax', secure: req.secure, path: '/' });
};
