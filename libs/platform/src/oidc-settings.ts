import { ConfigError } from './config.error';

/** OpenID Connect sign-in of the web pages (docs/web.md, "Sign-in"); null when OIDC_ISSUER is unset. */
export interface OidcSettings {
  /** `OIDC_ISSUER`: its `/.well-known/openid-configuration` names every endpoint. */
  issuer: string;
  clientId: string;
  /** `OIDC_CLIENT_SECRET`: null for a public client (PKCE alone). */
  clientSecret: string | null;
  /** `OIDC_REDIRECT_URI`, else `${PUBLIC_URL}/connexion/retour`, else built from the request (null). */
  redirectUri: string | null;
  /** `OIDC_SCOPES`, space-separated, always with `openid` (default `openid`). */
  scopes: string;
  /** Claims of the ID token read as the role and the SIRET(s) (`OIDC_ROLE_CLAIM`, `OIDC_SIRET_CLAIM`). */
  claims: { role: string; siret: string };
}

const LOOPBACK = new Set(['127.0.0.1', '[::1]', 'localhost']);

/**
 * An identity provider's URL: HTTPS, or plain HTTP on the machine itself only (a provider on
 * loopback cannot be impersonated on the network path; the tests run a real one there).
 */
export const providerUrl = (env: NodeJS.ProcessEnv, name: string): string | null => {
  const raw = env[name];
  if (raw === undefined || raw === '') return null;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(name, 'URL invalide (valeur masquée)');
  }
  if (parsed.protocol === 'https:') return raw;
  if (parsed.protocol === 'http:' && LOOPBACK.has(parsed.hostname)) return raw;
  throw new ConfigError(name, 'HTTPS attendu (HTTP seulement sur 127.0.0.1, [::1] ou localhost)');
};

const CLAIM = /^[A-Za-z_][A-Za-z0-9_.:/-]{0,99}$/;

const claimName = (env: NodeJS.ProcessEnv, name: string, fallback: string): string => {
  const raw = env[name] === undefined || env[name] === '' ? fallback : env[name];
  if (!CLAIM.test(raw)) throw new ConfigError(name, `nom de revendication invalide « ${raw} »`);
  return raw;
};

const optional = (env: NodeJS.ProcessEnv, name: string): string | null =>
  env[name] === undefined || env[name] === '' ? null : env[name];

/**
 * Reads the OIDC_* settings. `jwt` is the API's verification (JWT_*): the session cookie holds the
 * provider's ID token and pages verify it with the API's verifier, so OIDC needs the JWKS mode with
 * the provider as issuer and this client as audience; a mismatch would sign everyone in and then
 * refuse every page, so it stops the start instead.
 */
export const loadOidcSettings = (
  env: NodeJS.ProcessEnv,
  jwt: { jwksUrl: string | null; audience: string | null; issuer: string | null },
): OidcSettings | null => {
  const issuer = providerUrl(env, 'OIDC_ISSUER');
  const clientId = optional(env, 'OIDC_CLIENT_ID');
  if (issuer === null) {
    if (clientId !== null) throw new ConfigError('OIDC_ISSUER', 'obligatoire avec OIDC_CLIENT_ID');
    return null;
  }
  if (clientId === null) throw new ConfigError('OIDC_CLIENT_ID', 'obligatoire avec OIDC_ISSUER');
  if (jwt.jwksUrl === null)
    throw new ConfigError(
      'JWT_JWKS_URL',
      'obligatoire avec OIDC_ISSUER (le jwks_uri du fournisseur : la session est son jeton d’identité)',
    );
  if (jwt.issuer !== issuer)
    throw new ConfigError(
      'JWT_ISSUER',
      `doit valoir OIDC_ISSUER (${issuer}) : la session est le jeton d’identité`,
    );
  if (jwt.audience !== clientId)
    throw new ConfigError(
      'JWT_AUDIENCE',
      `doit valoir OIDC_CLIENT_ID (${clientId}) : la session est le jeton d’identité`,
    );
  const redirect = providerUrl(env, 'OIDC_REDIRECT_URI');
  const publicUrl = optional(env, 'PUBLIC_URL');
  const scopes = (optional(env, 'OIDC_SCOPES') ?? 'openid').split(/\s+/).filter((s) => s !== '');
  if (!scopes.every((s) => /^[\x21\x23-\x5b\x5d-\x7e]+$/.test(s)))
    throw new ConfigError('OIDC_SCOPES', 'portées séparées par des espaces attendues');
  return {
    issuer,
    clientId,
    clientSecret: optional(env, 'OIDC_CLIENT_SECRET'),
    redirectUri: redirect ?? (publicUrl ? `${publicUrl.replace(/\/+$/, '')}/connexion/retour` : null),
    scopes: [...new Set(['openid', ...scopes])].join(' '),
    claims: {
      role: claimName(env, 'OIDC_ROLE_CLAIM', 'segur_role'),
      siret: claimName(env, 'OIDC_SIRET_CLAIM', 'siret'),
    },
  };
};
