import type { Request, Response } from 'express';
import { errors, generators, Issuer, type BaseClient } from 'openid-client';
import type { OidcSettings } from '@segur/platform';

/** The short-lived cookie carrying state, nonce and PKCE verifier between /connexion and its return. */
export const OIDC_COOKIE = 'segur_oidc';
const OIDC_COOKIE_SECONDS = 10 * 60;
const COOKIE_PATH = '/connexion';

interface Pending {
  state: string;
  nonce: string;
  verifier: string;
  redirectUri: string;
}

/** A sign-in that did not end with an ID token: the French page to show. */
export class SignInFailure extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string,
    override readonly cause?: unknown,
  ) {
    super(title);
  }
}

const cookieOf = (req: Request, name: string): string | null => {
  for (const pair of (req.headers.cookie ?? '').split(';')) {
    const eq = pair.indexOf('=');
    if (eq > 0 && pair.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(pair.slice(eq + 1).trim());
      } catch {
        return null;
      }
    }
  }
  return null;
};

const pendingOf = (req: Request): Pending | null => {
  const raw = cookieOf(req, OIDC_COOKIE);
  if (!raw) return null;
  try {
    const p = JSON.parse(raw) as Partial<Pending>;
    return typeof p.state === 'string' &&
      typeof p.nonce === 'string' &&
      typeof p.verifier === 'string' &&
      typeof p.redirectUri === 'string'
      ? (p as Pending)
      : null;
  } catch {
    return null;
  }
};

const expired = (): SignInFailure =>
  new SignInFailure(
    400,
    'Connexion expirée',
    'La connexion a expiré ou a été commencée dans un autre navigateur. Recommencez la connexion.',
  );

/**
 * Authorization code + PKCE (S256) with the provider of OIDC_ISSUER, through openid-client v5 (the
 * CommonJS line; v6 is ESM-only): discovery, the code exchange and every ID token check (signature
 * from the provider's JWKS, iss, aud, exp, nonce, the RFC 9207 `iss` of the response).
 */
export class OidcSignIn {
  private client: Promise<BaseClient> | null = null;

  constructor(private readonly settings: OidcSettings) {}

  /** Discovered on first use and kept; a failed discovery is retried by the next sign-in. */
  private clientOf(): Promise<BaseClient> {
    this.client ??= Issuer.discover(this.settings.issuer).then(
      (issuer) =>
        new issuer.Client({
          client_id: this.settings.clientId,
          ...(this.settings.clientSecret
            ? { client_secret: this.settings.clientSecret, token_endpoint_auth_method: 'client_secret_basic' }
            : { token_endpoint_auth_method: 'none' }),
          response_types: ['code'],
          id_token_signed_response_alg: 'RS256',
        }),
      (e: unknown) => {
        this.client = null;
        throw new SignInFailure(
          502,
          'Fournisseur d’identité indisponible',
          'Le fournisseur d’identité ne répond pas. Réessayez dans quelques minutes.',
          e,
        );
      },
    );
    return this.client;
  }

  private redirectUriOf(req: Request): string {
    return (
      this.settings.redirectUri ?? `${req.protocol}://${req.get('host') ?? 'localhost'}/connexion/retour`
    );
  }

  private clearPending(req: Request, res: Response): void {
    res.clearCookie(OIDC_COOKIE, { httpOnly: true, sameSite: 'lax', secure: req.secure, path: COOKIE_PATH });
  }

  /** GET /connexion: to the provider's authorization endpoint, the secrets of the return kept here. */
  async start(req: Request, res: Response): Promise<void> {
    const client = await this.clientOf();
    const pending: Pending = {
      state: generators.state(),
      nonce: generators.nonce(),
      verifier: generators.codeVerifier(),
      redirectUri: this.redirectUriOf(req),
    };
    // HttpOnly: no script reads the verifier; Lax: sent back on the provider's top-level redirect.
    res.cookie(OIDC_COOKIE, JSON.stringify(pending), {
      httpOnly: true,
      sameSite: 'lax',
      secure: req.secure,
      path: COOKIE_PATH,
      maxAge: OIDC_COOKIE_SECONDS * 1000,
    });
    res.redirect(
      303,
      client.authorizationUrl({
        scope: this.settings.scopes,
        redirect_uri: pending.redirectUri,
        state: pending.state,
        nonce: pending.nonce,
        code_challenge: generators.codeChallenge(pending.verifier),
        code_challenge_method: 'S256',
      }),
    );
  }

  /**
   * GET /connexion/retour: the verified ID token. The state is compared before anything else, so a
   * forged or replayed return costs no call to the provider; the pending cookie is used once.
   */
  async finish(req: Request, res: Response): Promise<string> {
    const pending = pendingOf(req);
    this.clearPending(req, res);
    const state = typeof req.query.state === 'string' ? req.query.state : null;
    if (!pending || state === null) throw expired();
    if (state !== pending.state)
      throw new SignInFailure(
        400,
        'Connexion refusée',
        'Le retour du fournisseur d’identité ne correspond pas à la connexion commencée ici. Recommencez la connexion.',
      );
    if (typeof req.query.error === 'string')
      throw new SignInFailure(
        401,
        'Connexion refusée',
        'Le fournisseur d’identité n’a pas accordé la connexion. Recommencez, ou contactez l’assistance.',
      );
    const client = await this.clientOf();
    try {
      const tokens = await client.callback(pending.redirectUri, client.callbackParams(req), {
        state: pending.state,
        nonce: pending.nonce,
        code_verifier: pending.verifier,
      });
      if (!tokens.id_token) throw new Error('réponse sans id_token');
      return tokens.id_token;
    } catch (e) {
      throw new SignInFailure(
        e instanceof errors.OPError || e instanceof errors.RPError ? 401 : 502,
        'Connexion impossible',
        'La réponse du fournisseur d’identité n’a pas pu être vérifiée. Recommencez la connexion.',
        e,
      );
    }
  }
}
