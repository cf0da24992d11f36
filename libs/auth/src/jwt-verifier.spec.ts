import { InvalidTokenError, JwtVerifier } from './jwt-verifier';

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
