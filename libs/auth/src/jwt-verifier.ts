import { createSecretKey, randomBytes, type KeyObject } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import jwt, { type JwtPayload } from 'jsonwebtoken';
import { JwksClient } from 'jwks-rsa';
import { ROLES, type ApiRole, type Principal } from './principal';

export class InvalidTokenError extends Error {}

export interface JwtSettings {
  secret: string | null;
  jwksUrl: string | null;
  /** Expected `aud` (`JWT_AUDIENCE`): checked when set, required in JWKS mode by the configuration. */
  audience?: string | null;
  /** Expected `iss` (`JWT_ISSUER`): checked when set, required in JWKS mode by the configuration. */
  issuer?: string | null;
  /**
   * Claims read as the role and the SIRET(s) (default `role`, `siret`): an OpenID provider names
   * them its own way (OIDC_ROLE_CLAIM, OIDC_SIRET_CLAIM).
   */
  claims?: { role: string; siret: string };
}

const DEFAULT_CLAIMS = { role: 'role', siret: 'siret' };

/**
 * Longest a verified token is remembered, whatever its `exp`: a verification rule or a key
 * changed by a restart-free path (a JWKS rotation) applies within this delay.
 */
export const VERIFIED_TOKEN_TTL_MS = 5 * 60_000;

/** The embedded mode generates its HS256 secret once and keeps it in DATA_DIR (mode 0600). */
export const embeddedJwtSecret = (dataDir: string): string => {
  const file = join(dataDir, 'jwt-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(file, secret, { mode: 0o600 });
  chmodSync(file, 0o600);
  return secret;
};

const toPrincipal = (payload: JwtPayload | string, claims = DEFAULT_CLAIMS): Principal => {
  if (typeof payload === 'string') throw new InvalidTokenError('jeton sans revendications');
  // A token without an expiry would be valid forever once leaked.
  if (typeof payload.exp !== 'number') throw new InvalidTokenError('revendication exp manquante');
  const role = payload[claims.role] as unknown;
  if (typeof payload.sub !== 'string' || payload.sub === '')
    throw new InvalidTokenError('revendication sub manquante');
  if (typeof role !== 'string' || !(ROLES as readonly string[]).includes(role))
    throw new InvalidTokenError('revendication role invalide');
  const raw = payload[claims.siret] as unknown;
  const sirets = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).filter(
    (s): s is string => typeof s === 'string',
  );
  if (role === 'fournisseur' && sirets.length === 0)
    throw new InvalidTokenError('un jeton fournisseur doit porter son SIRET');
  const numeroAns = typeof payload.numeroAns === 'string' ? payload.numeroAns : null;
  return { sub: payload.sub, role: role as ApiRole, sirets, numeroAns };
};

/** A verified token, kept until its own `exp` or VERIFIED_TOKEN_TTL_MS, whichever comes first. */
interface VerifiedToken {
  principal: Principal;
  /** Milliseconds since the epoch. */
  until: number;
}

const VERIFIED_MAX = 1_000;

export class JwtVerifier {
  private readonly jwks: JwksClient | null;
  // A client sends the same bearer token on every request: decoding, HMAC and claim checks were a
  // visible share of a command's CPU. A token string once verified stays valid but for time, so a
  // hit only compares the clock with min(exp, VERIFIED_TOKEN_TTL_MS). Valid tokens only (a flood of
  // bad ones cannot evict them), bounded, oldest dropped first.
  private readonly verified = new Map<string, VerifiedToken>();
  // Given a string, jsonwebtoken first tries it as a PEM public key (createPublicKey throws) and
  // only then as an HMAC secret, on every request: a big share of a command's CPU. Built once here.
  private readonly secretKey: KeyObject | null;

  constructor(private readonly settings: JwtSettings) {
    this.secretKey = settings.secret ? createSecretKey(Buffer.from(settings.secret, 'utf8')) : null;
    this.jwks = settings.jwksUrl
      ? new JwksClient({
          jwksUri: settings.jwksUrl,
          cache: true,
          cacheMaxAge: VERIFIED_TOKEN_TTL_MS,
          rateLimit: true,
        })
      : null;
  }

  async verify(token: string): Promise<Principal> {
    const now = Date.now();
    const known = this.verified.get(token);
    if (known && now < known.until) return known.principal;
    this.verified.delete(token);
    let payload: JwtPayload | string;
    try {
      if (this.secretKey) payload = jwt.verify(token, this.secretKey, this.options('HS256'));
      else if (this.jwks) {
        const decoded = jwt.decode(token, { complete: true });
        if (decoded?.header.alg !== 'RS256') throw new InvalidTokenError('algorithme RS256 attendu');
        const key = await this.jwks.getSigningKey(decoded.header.kid);
        payload = jwt.verify(token, key.getPublicKey(), this.options('RS256'));
      } else throw new InvalidTokenError('aucune clé de vérification configurée');
    } catch (e) {
      if (e instanceof InvalidTokenError) throw e;
      throw new InvalidTokenError((e as Error).message);
    }
    const principal = toPrincipal(payload, this.settings.claims);
    Object.freeze(principal.sirets);
    // toPrincipal refused a token without a numeric exp; nbf was checked by jwt.verify (a token not
    // yet active is never remembered).
    const exp = (payload as JwtPayload).exp as number;
    this.remember(token, principal, Math.min(exp * 1000, now + VERIFIED_TOKEN_TTL_MS));
    return principal;
  }

  private options(algorithm: 'HS256' | 'RS256'): jwt.VerifyOptions & { complete?: false } {
    return {
      algorithms: [algorithm],
      ...(this.settings.audience ? { audience: this.settings.audience } : {}),
      ...(this.settings.issuer ? { issuer: this.settings.issuer } : {}),
    };
  }

  private remember(token: string, principal: Principal, until: number): void {
    if (this.verified.size >= VERIFIED_MAX) {
      const oldest = this.verified.keys().next();
      if (!oldest.done) this.verified.delete(oldest.value);
    }
    this.verified.set(token, { principal: Object.freeze(principal), until });
  }

  /** Local tokens (npm run token, tests); only with an HS256 secret. */
  sign(
    claims: { sub: string; role: ApiRole; siret?: string | string[]; numeroAns?: string },
    expiresIn = '12h',
  ): string {
    if (!this.settings.secret) throw new Error('signature impossible : pas de JWT_SECRET (mode JWKS)');
    return jwt.sign(claims, this.settings.secret, {
      algorithm: 'HS256',
      expiresIn: expiresIn as jwt.SignOptions['expiresIn'],
      ...(this.settings.audience ? { audience: this.settings.audience } : {}),
      ...(this.settings.issuer ? { issuer: this.settings.issuer } : {}),
    });
  }
}
