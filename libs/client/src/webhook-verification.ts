import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import type { FeedEvent } from './feed-event';

export { WebhookVerificationError };

/** Headers as any framework gives them: a plain object (lower-case names) or a `Headers`. */
export type WebhookHeaders = Headers | Record<string, string | string[] | undefined>;

const headerOf = (headers: WebhookHeaders, name: string): string => {
  const value = headers instanceof Headers ? headers.get(name) : headers[name];
  return (Array.isArray(value) ? value[0] : value) ?? '';
};

/**
 * Verifies a webhook delivery per Standard Webhooks (`webhook-id`, `webhook-timestamp` within 5
 * minutes, `webhook-signature` v1 HMAC-SHA256; any of several signatures during a secret rotation)
 * and answers its parsed body. `rawBody` is the body exactly as received, before any JSON parsing.
 * Throws `WebhookVerificationError` otherwise: answer 401 and do not process it.
 */
export const verifyWebhook = <E = FeedEvent>(
  secret: string,
  headers: WebhookHeaders,
  rawBody: string | Uint8Array,
): E => {
  const verified = new Webhook(secret).verify(rawBody, {
    'webhook-id': headerOf(headers, 'webhook-id'),
    'webhook-timestamp': headerOf(headers, 'webhook-timestamp'),
    'webhook-signature': headerOf(headers, 'webhook-signature'),
  });
  return verified as E;
};
