import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const WEBHOOK_HEADERS = {
  eventId: 'Segur-Event-Id',
  eventType: 'Segur-Event-Type',
  timestamp: 'Segur-Timestamp',
  signature: 'Segur-Signature',
  webhookId: 'Segur-Webhook-Id',
  attempt: 'Segur-Delivery-Attempt',
} as const;

/** 32 random bytes; the prefix makes a leaked secret easy to recognise in logs and scanners. */
export const newWebhookSecret = (): string => `whsec_${randomBytes(32).toString('base64url')}`;

/**
 * Hex HMAC-SHA256, keyed with the secret's UTF-8 bytes, of `<unix seconds>.<raw body>`. The
 * timestamp is signed too so a receiver can refuse replays of an old, captured request.
 */
export const webhookSignature = (secret: string, timestamp: number, body: string): string =>
  createHmac('sha256', secret).update(`${timestamp}.${body}`, 'utf8').digest('hex');

export const signatureHeader = (secret: string, timestamp: number, body: string): string =>
  `v1=${webhookSignature(secret, timestamp, body)}`;

/**
 * What a receiver runs (documented for integrators, used by the tests): constant-time comparison,
 * any `v1=` value of the header may match (room for a secret rotation sending two signatures),
 * and a timestamp outside the tolerance is refused.
 */
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
