import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

/**
 * Where a webhook may be delivered. A subscriber chooses the URL, and the dispatcher runs inside
 * the network: without this check a URL could make it POST to a database admin page, a cloud
 * metadata service or any internal host. Only public unicast addresses are reachable; loopback only
 * when the operator allows it (`WEBHOOK_ALLOW_LOOPBACK`, for tests and local development).
 * The same rule runs twice: when a subscription is created (a literal address, or a name as it
 * resolves then) and when the dispatcher connects (every address the name resolves to at that very
 * moment, so a name re-pointed later, as in DNS rebinding, is refused too).
 */
export interface WebhookTargetPolicy {
  allowLoopback: boolean;
}

/** A name resolver with the signature of `dns.lookup(name, { all: true })`; tests hand in their own. */
export type ResolveAll = (hostname: string) => Promise<LookupAddress[]>;

export const systemResolveAll: ResolveAll = (hostname) =>
  new Promise((resolve, reject) =>
    dnsLookup(hostname, { all: true }, (err, addresses) => (err ? reject(err) : resolve(addresses))),
  );

/** RFC 6761: `localhost` and every name under it are the machine itself, whatever DNS says. */
export const isLoopbackName = (hostname: string): boolean => {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  return host === 'localhost' || host.endsWith('.localhost');
};

/** `[::1]` as URL keeps it → `::1`. */
export const bareHost = (hostname: string): string => hostname.replace(/^\[(.*)\]$/, '$1');

/**
 * Why this address may not be a webhook target (French), or null. IPv4-mapped IPv6 addresses
 * (`::ffff:10.0.0.1`) are judged as the IPv4 address they carry.
 */
export const forbiddenAddress = (address: string, policy: WebhookTargetPolicy): string | null => {
  if (!ipaddr.isValid(address)) return `adresse ${address} illisible`;
  const range = ipaddr.process(address).range();
  if (range === 'unicast') return null;
  if (range === 'loopback' && policy.allowLoopback) return null;
  return `adresse ${address} non publique (${range})`;
};

/** True when the host (a literal address or a `localhost` name) is the machine itself. */
export const isLoopbackHost = (hostname: string): boolean => {
  const host = bareHost(hostname);
  if (isLoopbackName(host)) return true;
  return isIP(host) !== 0 && ipaddr.process(host).range() === 'loopback';
};

/** A resolution that takes longer than this at subscription time is left to the delivery's own check. */
const RESOLVE_TIMEOUT_MS = 3_000;

/**
 * Why the subscription's host is not an acceptable target (French), or null. A name that does not
 * resolve now is accepted: the receiver may not be deployed yet, and the dispatcher checks every
 * address again when it connects.
 */
export const webhookTargetProblem = async (
  url: URL,
  policy: WebhookTargetPolicy,
  resolveAll: ResolveAll = systemResolveAll,
): Promise<string | null> => {
  const host = bareHost(url.hostname);
  if (isIP(host) !== 0) return forbiddenAddress(host, policy);
  if (isLoopbackName(host))
    return policy.allowLoopback ? null : `hôte ${host} : la machine elle-même n’est pas une cible autorisée`;
  let addresses: LookupAddress[];
  try {
    addresses = await Promise.race([
      resolveAll(host),
      new Promise<never>((_, reject) => {
        const timer = setTimeout(() => reject(new Error('timeout')), RESOLVE_TIMEOUT_MS);
        timer.unref();
      }),
    ]);
  } catch {
    return null;
  }
  for (const a of addresses) {
    const problem = forbiddenAddress(a.address, policy);
    if (problem !== null) return `hôte ${host} : ${problem}`;
  }
  return null;
};

type LookupCallback = (
  err: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/** The error the connect-time check raises: the delivery log only says "connexion impossible". */
export class ForbiddenTargetError extends Error {
  readonly code = 'EWEBHOOKTARGET';
}

/**
 * A `lookup` for `http.request` / `net.connect`: resolves the name, then refuses the connection
 * unless every address is allowed. Node calls it right before connecting, so the address checked is
 * the address connected to. Literal addresses never go through a lookup: `postWebhook` checks them.
 */
export const checkedLookup =
  (policy: WebhookTargetPolicy, resolveAll: ResolveAll = systemResolveAll) =>
  (hostname: string, options: { all?: boolean } | number | undefined, callback: LookupCallback): void => {
    const all = typeof options === 'object' && options !== null && options.all === true;
    resolveAll(hostname).then(
      (addresses) => {
        const problem = isLoopbackName(hostname)
          ? policy.allowLoopback
            ? null
            : `hôte ${hostname} : la machine elle-même`
          : (addresses.map((a) => forbiddenAddress(a.address, policy)).find((p) => p !== null) ?? null);
        if (problem !== null) return callback(new ForbiddenTargetError(problem), all ? [] : '');
        const first = addresses[0];
        if (!first) return callback(Object.assign(new Error('ENOTFOUND'), { code: 'ENOTFOUND' }), '');
        if (all) callback(null, addresses);
        else callback(null, first.address, first.family);
      },
      (e: NodeJS.ErrnoException) => callback(e, all ? [] : ''),
    );
  };
