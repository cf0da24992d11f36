import type { LookupAddress } from 'node:dns';
import { checkedLookup, forbiddenAddress, webhookTargetProblem, type ResolveAll } from './webhook-target';

const strict = { allowLoopback: false };
const loopbackAllowed = { allowLoopback: true };

const resolvingTo =
  (...addresses: string[]): ResolveAll =>
  () =>
    Promise.resolve(addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })));

describe('webhook targets: only public unicast addresses, loopback only when allowed', () => {
  it.each([
    ['loopback', '127.0.0.1'],
    ['loopback (anywhere in 127/8)', '127.3.4.5'],
    ['private 10/8', '10.1.2.3'],
    ['private 172.16/12', '172.31.0.1'],
    ['private 192.168/16', '192.168.0.10'],
    ['link-local (cloud metadata)', '169.254.169.254'],
    ['carrier-grade NAT 100.64/10', '100.64.0.1'],
    ['this network 0/8', '0.0.0.0'],
    ['this network 0/8 (not only 0.0.0.0)', '0.1.2.3'],
    ['multicast', '224.0.0.1'],
    ['broadcast', '255.255.255.255'],
    ['IPv6 loopback', '::1'],
    ['IPv6 unspecified', '::'],
    ['IPv6 link-local', 'fe80::1'],
    ['IPv6 unique-local fc00::/7', 'fd12:3456::1'],
    ['IPv6 multicast', 'ff02::1'],
    ['IPv4-mapped private', '::ffff:10.0.0.1'],
    ['IPv4-mapped loopback', '::ffff:127.0.0.1'],
    ['NAT64 of a private address', '64:ff9b::a00:1'],
    ['6to4', '2002:a00:1::1'],
  ])('refuses %s (%s)', (_, address) => {
    expect(forbiddenAddress(address, strict)).toMatch(/non publique/);
  });

  it('accepts public unicast addresses', () => {
    expect(forbiddenAddress('93.184.216.34', strict)).toBeNull();
    expect(forbiddenAddress('2606:2800:220:1:248:1893:25c8:1946', strict)).toBeNull();
  });

  it('loopback only with the setting, and never the private ranges', () => {
    expect(forbiddenAddress('127.0.0.1', loopbackAllowed)).toBeNull();
    expect(forbiddenAddress('::1', loopbackAllowed)).toBeNull();
    expect(forbiddenAddress('::ffff:127.0.0.1', loopbackAllowed)).toBeNull();
    expect(forbiddenAddress('10.0.0.1', loopbackAllowed)).not.toBeNull();
    expect(forbiddenAddress('169.254.169.254', loopbackAllowed)).not.toBeNull();
  });

  it('at subscription: a name is judged by what it resolves to; an unresolvable name is left to delivery', async () => {
    const url = new URL('https://recepteur.example.fr/hook');
    expect(await webhookTargetProblem(url, strict, resolvingTo('10.0.0.7'))).toMatch(/non publique/);
    // One bad address among good ones is enough to refuse: the connection may pick any of them.
    expect(await webhookTargetProblem(url, strict, resolvingTo('93.184.216.34', '192.168.1.1'))).toMatch(
      /non publique/,
    );
    expect(await webhookTargetProblem(url, strict, resolvingTo('93.184.216.34'))).toBeNull();
    const unknown: ResolveAll = () => Promise.reject(Object.assign(new Error('nope'), { code: 'ENOTFOUND' }));
    expect(await webhookTargetProblem(url, strict, unknown)).toBeNull();
    expect(await webhookTargetProblem(new URL('https://localhost/hook'), strict, unknown)).toMatch(
      /machine elle-même/,
    );
    expect(await webhookTargetProblem(new URL('https://x.localhost/hook'), strict, unknown)).toMatch(
      /machine elle-même/,
    );
    expect(await webhookTargetProblem(new URL('https://[::ffff:a00:1]/hook'), strict, unknown)).toMatch(
      /non publique/,
    );
  });

  it('at connect time: the lookup refuses a name that now resolves inside (DNS rebinding)', async () => {
    const lookup = (resolveAll: ResolveAll, policy = strict) =>
      new Promise<{ err: NodeJS.ErrnoException | null; address: string | LookupAddress[] }>((resolve) =>
        checkedLookup(policy, resolveAll)('recepteur.example.fr', { all: true }, (err, address) =>
          resolve({ err, address }),
        ),
      );
    const inside = await lookup(resolvingTo('127.0.0.1'));
    expect(inside.err?.code).toBe('EWEBHOOKTARGET');
    const outside = await lookup(resolvingTo('93.184.216.34'));
    expect(outside.err).toBeNull();
    expect(outside.address).toEqual([{ address: '93.184.216.34', family: 4 }]);
    expect((await lookup(resolvingTo('127.0.0.1'), loopbackAllowed)).err).toBeNull();
    // The single-address form Node also uses.
    const single = await new Promise<{ address: unknown; family: unknown }>((resolve) =>
      checkedLookup(strict, resolvingTo('93.184.216.34'))('h', {}, (_e, address, family) =>
        resolve({ address, family }),
      ),
    );
    expect(single).toEqual({ address: '93.184.216.34', family: 4 });
  });
});
