import { ConfigError } from './config.error';
import { loadConfig } from './app-config';

const IDP = 'https://idp.example';
const OIDC = {
  OIDC_ISSUER: IDP,
  OIDC_CLIENT_ID: 'segur-portail',
  JWT_JWKS_URL: `${IDP}/jwks`,
  JWT_ISSUER: IDP,
  JWT_AUDIENCE: 'segur-portail',
};

const refused = (env: Record<string, string>, variable: string): void => {
  let error: unknown;
  try {
    loadConfig(env);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(ConfigError);
  expect((error as ConfigError).variable).toBe(variable);
  expect((error as ConfigError).message).toMatch(/^Configuration invalide : /);
};

describe('OIDC settings', () => {
  it('are off without OIDC_ISSUER; the verifier then reads the claims role and siret', () => {
    const config = loadConfig({});
    expect(config.oidc).toBeNull();
    expect(config.jwt.claims).toEqual({ role: 'role', siret: 'siret' });
  });

  it('default to the scope openid, the claims segur_role and siret, and a redirect from the request', () => {
    const config = loadConfig(OIDC);
    expect(config.oidc).toEqual({
      issuer: IDP,
      clientId: 'segur-portail',
      clientSecret: null,
      redirectUri: null,
      scopes: 'openid',
      claims: { role: 'segur_role', siret: 'siret' },
    });
    // Pages and API share one verifier: it reads the provider's claim names.
    expect(config.jwt.claims).toEqual({ role: 'segur_role', siret: 'siret' });
  });

  it('derive the redirect URI from PUBLIC_URL, unless OIDC_REDIRECT_URI is given', () => {
    expect(loadConfig({ ...OIDC, PUBLIC_URL: 'https://portail.example/' }).oidc?.redirectUri).toBe(
      'https://portail.example/connexion/retour',
    );
    expect(
      loadConfig({
        ...OIDC,
        PUBLIC_URL: 'https://a.example',
        OIDC_REDIRECT_URI: 'https://b.example/connexion/retour',
      }).oidc?.redirectUri,
    ).toBe('https://b.example/connexion/retour');
  });

  it('read the claim names, the scopes (openid always first) and the secret', () => {
    const oidc = loadConfig({
      ...OIDC,
      OIDC_ROLE_CLAIM: 'https://segur.example/role',
      OIDC_SIRET_CLAIM: 'sirets',
      OIDC_SCOPES: 'profile  segur openid',
      OIDC_CLIENT_SECRET: 's3cr3t',
    }).oidc;
    expect(oidc).toMatchObject({
      claims: { role: 'https://segur.example/role', siret: 'sirets' },
      scopes: 'openid profile segur',
      clientSecret: 's3cr3t',
    });
  });

  it('accept plain HTTP for a provider on the machine itself only', () => {
    const local = 'http://127.0.0.1:4000';
    expect(
      loadConfig({ ...OIDC, OIDC_ISSUER: local, JWT_ISSUER: local, JWT_JWKS_URL: `${local}/jwks` }).oidc
        ?.issuer,
    ).toBe(local);
  });

  it.each([
    [{ OIDC_CLIENT_ID: 'x' }, 'OIDC_ISSUER'],
    [{ ...OIDC, OIDC_CLIENT_ID: '' }, 'OIDC_CLIENT_ID'],
    [{ ...OIDC, OIDC_ISSUER: 'http://idp.example', JWT_ISSUER: 'http://idp.example' }, 'OIDC_ISSUER'],
    [{ ...OIDC, JWT_JWKS_URL: 'http://idp.example/jwks' }, 'JWT_JWKS_URL'],
    [{ OIDC_ISSUER: IDP, OIDC_CLIENT_ID: 'segur-portail' }, 'JWT_JWKS_URL'],
    [{ ...OIDC, JWT_ISSUER: 'https://autre.example' }, 'JWT_ISSUER'],
    [{ ...OIDC, JWT_AUDIENCE: 'autre-client' }, 'JWT_AUDIENCE'],
    [{ ...OIDC, OIDC_REDIRECT_URI: 'http://portail.example/connexion/retour' }, 'OIDC_REDIRECT_URI'],
    [{ ...OIDC, OIDC_ROLE_CLAIM: 'rôle' }, 'OIDC_ROLE_CLAIM'],
    [{ ...OIDC, OIDC_SIRET_CLAIM: 'a b' }, 'OIDC_SIRET_CLAIM'],
    [{ ...OIDC, OIDC_SCOPES: 'openid "x"' }, 'OIDC_SCOPES'],
  ])('refuse %j naming %s', (env, variable) => refused(env, variable));
});
