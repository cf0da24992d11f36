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
}

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

const toPrincipal = (payload: JwtPayload | string): Principal => {
  if (typeof payload === 'string') throw new InvalidTokenError('jeton sans revendications');
  const role = payload.role as unknown;
  if (typeof payload.sub !== 'string' || payload.sub === '')
    throw new InvalidTokenError('revendication sub manquante');
  if (typeof role !== 'string' || !(ROLES as readonly string[]).includes(role))
    throw new InvalidTokenError('revendication role invalide');
  const raw = payload.siret as unknown;
  const sirets = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).filter(
    (s): s is string => typeof s === 'string',
  );
  if (role === 'fournisseur' && sirets.length === 0)
    throw new InvalidTokenError('un jeton fournisseur doit porter son SIRET');
  const numeroAns = typeof payload.numeroAns === 'string' ? payload.numeroAns : null;
  return { sub: payload.sub, role: role as ApiRole, sirets, numeroAns };
};

/** A verified HS256 token, kept until its own `exp`/`nbf` say otherwise. */
interface VerifiedToken {
  principal: Principal;
  exp: number | undefined;
  nbf: number | undefined;
}

const VERIFIED_MAX = 1_000;

export class JwtVerifier {
  private readonly jwks: JwksClient | null;
  // A client sends the same bearer token on every request: decoding, HMAC and claim checks were a
  // visible share of a command's CPU. With a fixed process-wide secret, a token string once
  // verified stays valid but for time, so only exp/nbf are re-checked on a hit. Valid tokens only
  // (a flood of bad ones cannot evict them), bounded, oldest dropped first.
  private readonly verified = new Map<string, VerifiedToken>();
  // Given a string, jsonwebtoken first tries it as a PEM public key (createPublicKey throws) and
  // only then as an HMAC secret, on every request: a big share of a command's CPU. Built once here.
  private readonly secretKey: KeyObject | null;

  constructor(private readonly settings: JwtSettings) {
    this.secretKey = settings.secret ? createSecretKey(Buffer.from(settings.secret, 'utf8')) : null;
    this.jwks = settings.jwksUrl
      ? new JwksClient({ jwksUri: settings.jwksUrl, cache: true, rateLimit: true })
      : null;
  }

  async verify(token: string): Promise<Principal> {
    try {
      if (this.secretKey) return this.verifyHs256(token, this.secretKey);
      if (this.jwks) {
        const decoded = jwt.decode(token, { complete: true });
        const kid = decoded?.header.kid;
        const key = await this.jwks.getSigningKey(kid);
        return toPrincipal(jwt.verify(token, key.getPublicKey(), { algorithms: ['RS256'] }));
      }
    } catch (e) {
      if (e instanceof InvalidTokenError) throw e;
      throw new InvalidTokenError((e as Error).message);
    }
    throw new InvalidTokenError('aucune clé de vérification configurée');
  }

  private verifyHs256(token: string, key: KeyObject): Principal {
    const nowSeconds = Math.floor(Date.now() / 1000);
    const known = this.verified.get(token);
    // Same tests, same order as jsonwebtoken (no clock tolerance): not yet active, then expired.
    if (known && (known.nbf === undefined || known.nbf <= nowSeconds)) {
      if (known.exp === undefined || nowSeconds < known.exp) return known.principal;
    }
    this.verified.delete(token);
    const payload = jwt.verify(token, key, { algorithms: ['HS256'] });
    const principal = toPrincipal(payload);
    if (typeof payload !== 'string') {
      Object.freeze(principal.sirets);
      if (this.verified.size >= VERIFIED_MAX) {
        const oldest = this.verified.keys().next();
        if (!oldest.done) this.verified.delete(oldest.value);
      }
      this.verified.set(token, { principal: Object.freeze(principal), exp: payload.exp, nbf: payload.nbf });
    }
    return principal;
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
    });
  }
}
