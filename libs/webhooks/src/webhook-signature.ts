import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** Standard Webhooks headers (https://www.standardwebhooks.com), what every delivery carries. */
export const STANDARD_WEBHOOK_HEADERS = {
  id: 'webhook-id',
  timestamp: 'webhook-timestamp',
  signature: 'webhook-signature',
} as const;

/**
 * The headers of our first, home-made scheme. Still sent while `WEBHOOK_LEGACY_HEADERS` is true
 * (this release's default) so receivers can move to the standard headers first; removed next release.
 */
export const WEBHOOK_HEADERS = {
  eventId: 'Segur-Event-Id',
  eventType: 'Segur-Event-Type',
  timestamp: 'Segur-Timestamp',
  signature: 'Segur-Signature',
  webhookId: 'Segur-Webhook-Id',
  attempt: 'Segur-Delivery-Attempt',
} as const;

/**
 * 32 random bytes in standard base64 behind `whsec_`: the Standard Webhooks secret format, which
 * receivers' libraries decode as is (earlier secrets were base64url, see `secretKeyBytes`).
 */
export const newWebhookSecret = (): string => `whsec_${randomBytes(32).toString('base64')}`;

/**
 * The HMAC key of a secret: the bytes its base64 encodes. Node's base64 decoder also reads the
 * base64url alphabet, so secrets issued before the switch (base64url) still sign; a strict receiver
 * library may refuse them, hence the advice to rotate once (docs/integration.md).
 */
export const secretKeyBytes = (secret: string): Buffer =>
  Buffer.from(secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret, 'base64');

/** Base64 HMAC-SHA256 of `<msg id>.<unix seconds>.<raw body>`, as Standard Webhooks defines it. */
export const standardSignature = (secret: string, msgId: string, timestamp: number, body: string): string =>
  createHmac('sha256', secretKeyBytes(secret))
    .update(`${msgId}.${timestamp}.${body}`, 'utf8')
    .digest('base64');

/**
 * `webhook-signature` value: `v1,<base64>` per secret, separated by a space. During a rotation's
 * overlap both secrets sign, so a receiver holding either one verifies.
 */
export const standardSignatureHeader = (
  secrets: readonly string[],
  msgId: string,
  timestamp: number,
  body: string,
): string => secrets.map((s) => `v1,${standardSignature(s, msgId, timestamp, body)}`).join(' ');

/** Legacy scheme: hex HMAC-SHA256, keyed with the secret's UTF-8 bytes, of `<unix seconds>.<raw body>`. */
export const webhookSignature = (secret: string, timestamp: number, body: string): string =>
  createHmac('sha256', secret).update(`${timestamp}.${body}`, 'utf8').digest('hex');

export const signatureHeader = (secret: string, timestamp: number, body: string): string =>
  `v1=${webhookSignature(secret, timestamp, body)}`;

/**
 * What a receiver runs with the Standard Webhooks headers (the reference for docs/integration.md;
 * a receiver may as well use a Standard Webhooks library): constant-time comparison, any `v1,`
 * value may match, a timestamp outside the tolerance is refused.
 */
export const verifyStandardWebhook = (input: {
  secret: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  toleranceSeconds?: number;
  nowSeconds?: number;
}): boolean => {
  const one = (name: string): string | undefined => {
    const v = input.headers[name];
    return Array.isArray(v) ? v[0] : v;
  };
  const msgId = one(STANDARD_WEBHOOK_HEADERS.id);
  const header = one(STANDARD_WEBHOOK_HEADERS.signature);
  const ts = Number(one(STANDARD_WEBHOOK_HEADERS.timestamp));
  if (!msgId || !header || !Number.isInteger(ts)) return false;
  const now = input.nowSeconds ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - ts) > (input.toleranceSeconds ?? 300)) return false;
  const expected = Buffer.from(standardSignature(input.secret, msgId, ts, input.body), 'base64');
  return header
    .split(' ')
    .filter((part) => part.startsWith('v1,'))
    .some((part) => {
      const given = Buffer.from(part.slice(3), 'base64');
      return given.length === expected.length && timingSafeEqual(given, expected);
    });
};

/** The legacy scheme's check (`Segur-Signature`), kept for the migration release. */
export const verifyWebhookSignature = (input: {
  secret: string;
  header: string | undefined;
  timestamp: string | undefined;
  body: string;
  toleranceSeconds?: number;
  nowSeconds?: number;
}): boolean => {
  const ts = Number(input.timestamp);
  if (!input.header || !Number.isInteger(ts)) return false;
  const now = input.nowSeconds ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - ts) > (input.toleranceSeconds ?? 300)) return false;
  const expected = Buffer.from(webhookSignature(input.secret, ts, input.body), 'hex');
  return input.header
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.startsWith('v1='))
    .some((part) => {
      const given = Buffer.from(part.slice(3), 'hex');
      return given.length === expected.length && timingSafeEqual(given, expected);
    });
};
