import { createHmac, generateKeyPairSync } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import jwt from 'jsonwebtoken';
import { InvalidTokenError, JwtVerifier, VERIFIED_TOKEN_TTL_MS } from './jwt-verifier';

// Verified tokens are remembered (see JwtVerifier.verified): a remembered token must still expire.
describe('JwtVerifier (HS256)', () => {
  const verifier = new JwtVerifier({ secret: 'test-secret-0123456789abcdef0123456789', jwksUrl: null });

  afterEach(() => jest.useRealTimers());

  it('answers the same principal for a token seen again', async () => {
    const token = verifier.sign({ sub: 'u1', role: 'fournisseur', siret: '79256844600019' });
    const first = await verifier.verify(token);
    expect(first).toEqual({ sub: 'u1', role: 'fournisseur', sirets: ['79256844600019'], numeroAns: null });
    expect(await verifier.verify(token)).toEqual(first);
  });

  it('reads the role and SIRET from the claims it is told (an OpenID provider names them its own way)', async () => {
    const secret = 'test-secret-0123456789abcdef0123456789';
    const custom = new JwtVerifier({
      secret,
      jwksUrl: null,
      claims: { role: 'segur_role', siret: 'sirets' },
    });
    const token = jwt.sign({ sub: 'u9', segur_role: 'fournisseur', sirets: ['79256844600019'] }, secret, {
      algorithm: 'HS256',
      expiresIn: '1h',
    });
    expect(await custom.verify(token)).toEqual({
      sub: 'u9',
      role: 'fournisseur',
      sirets: ['79256844600019'],
      numeroAns: null,
    });
    // The default names are no longer read.
    const plain = jwt.sign({ sub: 'u9', role: 'gestionnaire' }, secret, {
      algorithm: 'HS256',
      expiresIn: '1h',
    });
    await expect(custom.verify(plain)).rejects.toBeInstanceOf(InvalidTokenError);
  });

  it('refuses a remembered token once it has expired', async () => {
    jest.useFakeTimers({ now: new Date('2026-01-01T00:00:00Z') });
    const token = verifier.sign({ sub: 'u2', role: 'gestionnaire' }, '10s');
    await verifier.verify(token);
    jest.setSystemTime(new Date('2026-01-01T00:00:11Z'));
    await expect(verifier.verify(token)).rejects.toBeInstanceOf(InvalidTokenError);
  });

  it('refuses a token whose signature does not match, even after its valid original', async () => {
    const token = verifier.sign({ sub: 'u3', role: 'gestionnaire' });
    await verifier.verify(token);
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const forged = `${header}.${payload}.${signature.slice(0, -2)}${signature.endsWith('AA') ? 'BB' : 'AA'}`;
    await expect(verifier.verify(forged)).rejects.toBeInstanceOf(InvalidTokenError);
  });
});

const b64 = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString('base64url');
const inOneHour = (): number => Math.floor(Date.now() / 1000) + 3600;
const SECRET = 'test-secret-0123456789abcdef0123456789';

describe('JwtVerifier refuses what an attacker can forge or replay', () => {
  afterEach(() => jest.restoreAllMocks());

  it('refuses alg none', async () => {
    const verifier = new JwtVerifier({ secret: SECRET, jwksUrl: null });
    const token = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: 'x', role: 'admin', exp: inOneHour() })}.`;
    await expect(verifier.verify(token)).rejects.toBeInstanceOf(InvalidTokenError);
  });

  it('refuses an RS256 token where HS256 is expected', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const token = jwt.sign({ sub: 'x', role: 'gestionnaire' }, privateKey, {
      algorithm: 'RS256',
      expiresIn: '1h',
    });
    await expect(new JwtVerifier({ secret: SECRET, jwksUrl: null }).verify(token)).rejects.toBeInstanceOf(
      InvalidTokenError,
    );
  });

  it('refuses a token not yet valid (nbf in the future)', async () => {
    const token = jwt.sign({ sub: 'x', role: 'gestionnaire' }, SECRET, { expiresIn: '1h', notBefore: '10m' });
    await expect(new JwtVerifier({ secret: SECRET, jwksUrl: null }).verify(token)).rejects.toThrow(
      /not active/,
    );
  });

  it('refuses a token without exp', async () => {
    const token = jwt.sign({ sub: 'x', role: 'gestionnaire' }, SECRET);
    await expect(new JwtVerifier({ secret: SECRET, jwksUrl: null }).verify(token)).rejects.toThrow(
      'revendication exp manquante',
    );
  });

  it('checks aud and iss when they are configured', async () => {
    const verifier = new JwtVerifier({ secret: SECRET, jwksUrl: null, audience: 'segur', issuer: 'idp' });
    const claims = { sub: 'x', role: 'gestionnaire' };
    const sign = (o: jwt.SignOptions): string => jwt.sign(claims, SECRET, { expiresIn: '1h', ...o });
    await expect(verifier.verify(sign({ audience: 'segur', issuer: 'idp' }))).resolves.toMatchObject({
      sub: 'x',
    });
    await expect(verifier.verify(sign({ audience: 'autre', issuer: 'idp' }))).rejects.toThrow(/audience/);
    await expect(verifier.verify(sign({ audience: 'segur', issuer: 'autre' }))).rejects.toThrow(/issuer/);
    await expect(verifier.verify(sign({ issuer: 'idp' }))).rejects.toBeInstanceOf(InvalidTokenError);
    await expect(verifier.verify(sign({ audience: 'segur' }))).rejects.toBeInstanceOf(InvalidTokenError);
  });

  it('verifies a remembered token again after VERIFIED_TOKEN_TTL_MS, even far from its exp', async () => {
    const verifier = new JwtVerifier({ secret: SECRET, jwksUrl: null });
    const token = verifier.sign({ sub: 'cache', role: 'gestionnaire' }, '12h');
    const verify = jest.spyOn(jwt, 'verify');
    const start = Date.now();
    await verifier.verify(token);
    await verifier.verify(token);
    expect(verify).toHaveBeenCalledTimes(1);
    jest.spyOn(Date, 'now').mockReturnValue(start + VERIFIED_TOKEN_TTL_MS + 1000);
    await verifier.verify(token);
    expect(verify).toHaveBeenCalledTimes(2);
  });
});

describe('JwtVerifier in JWKS mode (RS256, keys from a local JWKS server)', () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = 'cle-1';
  let server: Server;
  let verifier: JwtVerifier;
  const sign = (o: jwt.SignOptions = {}): string =>
    jwt.sign({ sub: 'svc', role: 'service' }, privateKey, {
      algorithm: 'RS256',
      keyid: kid,
      expiresIn: '1h',
      audience: 'segur',
      issuer: 'https://idp.example',
      ...o,
    });

  beforeAll(async () => {
    const jwks = JSON.stringify({
      keys: [{ ...publicKey.export({ format: 'jwk' }), kid, use: 'sig', alg: 'RS256' }],
    });
    server = createServer((_req, res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end(jwks),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    // Plain HTTP on loopback for the test only: the configuration refuses a JWKS URL that is not https.
    verifier = new JwtVerifier({
      secret: null,
      jwksUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks`,
      audience: 'segur',
      issuer: 'https://idp.example',
    });
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('accepts a token signed by a published key with the expected aud and iss', async () => {
    await expect(verifier.verify(sign())).resolves.toMatchObject({ sub: 'svc', role: 'service' });
  });

  it('refuses a wrong audience or issuer', async () => {
    await expect(verifier.verify(sign({ audience: 'autre-appli' }))).rejects.toThrow(/audience/);
    await expect(verifier.verify(sign({ issuer: 'https://autre.example' }))).rejects.toThrow(/issuer/);
  });

  it('refuses an HS256 token whose secret is the public key (algorithm confusion)', async () => {
    const pem = publicKey.export({ format: 'pem', type: 'spki' }).toString();
    const forged = `${b64({ alg: 'HS256', typ: 'JWT', kid })}.${b64({
      sub: 'x',
      role: 'admin',
      aud: 'segur',
      iss: 'https://idp.example',
      exp: inOneHour(),
    })}`;
    const signature = createHmac('sha256', pem).update(forged).digest('base64url');
    await expect(verifier.verify(`${forged}.${signature}`)).rejects.toBeInstanceOf(InvalidTokenError);
  });

  it('refuses a token without exp, and one signed by an unpublished key', async () => {
    const noExp = jwt.sign({ sub: 'svc', role: 'service' }, privateKey, {
      algorithm: 'RS256',
      keyid: kid,
      audience: 'segur',
      issuer: 'https://idp.example',
    });
    await expect(verifier.verify(noExp)).rejects.toThrow('revendication exp manquante');
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const foreign = jwt.sign({ sub: 'x', role: 'admin' }, other, {
      algorithm: 'RS256',
      keyid: 'cle-inconnue',
      expiresIn: '1h',
      audience: 'segur',
      issuer: 'https://idp.example',
    });
    await expect(verifier.verify(foreign)).rejects.toBeInstanceOf(InvalidTokenError);
  });
});
