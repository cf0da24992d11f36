import type { Request } from 'express';
import { sameOrigin } from './csrf';

const request = (headers: Record<string, string>, protocol = 'http'): Request =>
  ({ protocol, get: (name: string) => headers[name.toLowerCase()] }) as unknown as Request;

describe('sameOrigin (CSRF defence of the page forms)', () => {
  const host = { host: 'segur.example.fr' };

  it('accepts a form posted from one of our pages, by Origin or else by Referer', () => {
    expect(sameOrigin(request({ ...host, origin: 'http://segur.example.fr' }))).toBe(true);
    expect(
      sameOrigin(request({ ...host, referer: 'http://segur.example.fr/gestion/dossiers/FINSAS000001' })),
    ).toBe(true);
    expect(sameOrigin(request({ ...host, origin: 'https://segur.example.fr' }, 'https'))).toBe(true);
  });

  it('refuses another site, a null origin, another scheme or port, and a request that says nothing', () => {
    expect(sameOrigin(request({ ...host, origin: 'https://ailleurs.example' }))).toBe(false);
    expect(sameOrigin(request({ ...host, origin: 'null', referer: 'http://segur.example.fr/' }))).toBe(false);
    expect(sameOrigin(request({ ...host, origin: 'https://segur.example.fr' }))).toBe(false);
    expect(sameOrigin(request({ ...host, origin: 'http://segur.example.fr:8080' }))).toBe(false);
    expect(sameOrigin(request({ ...host, referer: 'http://segur.example.fr.ailleurs.example/' }))).toBe(
      false,
    );
    expect(sameOrigin(request({ ...host, referer: 'pas une adresse' }))).toBe(false);
    expect(sameOrigin(request(host))).toBe(false);
    expect(sameOrigin(request({ origin: 'http://segur.example.fr' }))).toBe(false);
  });
});
