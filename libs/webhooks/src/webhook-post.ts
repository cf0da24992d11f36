import { webhookDeliveries, webhookDeliveryDuration } from './webhook-metrics';
import { request as httpRequest, type Agent as HttpAgent, type IncomingMessage } from 'node:http';
import { request as httpsRequest, type Agent as HttpsAgent } from 'node:https';
import { isIP } from 'node:net';
import type { RecordedEvent } from '@segur/event-store';
import { publishedEvent } from '@segur/domain';
import { CLOUDEVENTS_JSON, toCloudEvent } from './cloud-event';
import type { WebhookFormat } from './webhook-subscriptions';
import {
  STANDARD_WEBHOOK_HEADERS,
  WEBHOOK_HEADERS,
  signatureHeader,
  standardSignatureHeader,
} from './webhook-signature';
import {
  bareHost,
  checkedLookup,
  forbiddenAddress,
  systemResolveAll,
  type ResolveAll,
  type WebhookTargetPolicy,
} from './webhook-target';

export interface WebhookPostOutcome {
  ok: boolean;
  statusCode: number | null;
  /**
   * French, kept in the delivery log the subscriber reads: an HTTP status or « connexion
   * impossible », nothing finer. A refused connection, an unknown name, a timeout and a forbidden
   * address look the same to the subscriber, so the log cannot be used to map the network.
   */
  error: string | null;
  /** The precise cause, for the operator's logs only (never stored where a subscriber reads it). */
  cause: string | null;
  durationMs: number;
}

export const CONNECTION_FAILED = 'connexion impossible';

const causeOf = (e: unknown): string => {
  const err = e as { name?: string; code?: string; message?: string };
  if (err.name === 'TimeoutError' || err.name === 'AbortError') return 'délai de réponse dépassé';
  return err.code ? `${err.code} ${err.message ?? ''}`.trim() : (err.message ?? String(e));
};

export interface WebhookPostOptions {
  timeoutMs: number;
  userAgent: string;
  policy: WebhookTargetPolicy;
  /** Keep-alive agents of the dispatcher, one per protocol. */
  agents?: { http?: HttpAgent; https?: HttpsAgent };
  /** Name resolution (tests hand in their own to play a DNS answer). */
  resolveAll?: ResolveAll;
  /** Also send the `Segur-*` headers of the first scheme (`WEBHOOK_LEGACY_HEADERS`, migration release). */
  legacyHeaders?: boolean;
  /** Base of CloudEvents' `dataschema` (the API's public URL). */
  publicUrl?: string;
}

/**
 * One signed POST of one event envelope. Never throws: every outcome goes to the delivery log.
 * `node:http(s)` rather than `fetch`: its `lookup` hook is where the resolved address is checked
 * before connecting, and it never follows a redirect (following one would send signed data to a URL
 * nobody registered).
 */
export const postWebhook = async (
  sub: WebhookPostTarget,
  event: RecordedEvent,
  attempt: number,
  options: WebhookPostOptions,
): Promise<WebhookPostOutcome> => {
  const outcome = await postOnce(sub, event, attempt, options);
  webhookDeliveries.inc({ outcome: outcome.ok ? 'delivered' : 'failed' });
  webhookDeliveryDuration.observe(outcome.durationMs / 1000);
  return outcome;
};

type WebhookPostTarget = {
  id: string;
  url: string;
  secret: string;
  previousSecret?: string | null;
  format?: WebhookFormat;
};

const postOnce = async (
  sub: WebhookPostTarget,
  event: RecordedEvent,
  attempt: number,
  options: WebhookPostOptions,
): Promise<WebhookPostOutcome> => {
  const cloudEvents = sub.format === 'cloudevents';
  // Published without an e-mail's recipient address, whatever the format.
  const published = publishedEvent(event);
  const body = JSON.stringify(
    cloudEvents
      ? toCloudEvent(published, options.publicUrl !== undefined ? { baseUrl: options.publicUrl } : {})
      : published,
  );
  const timestamp = Math.floor(Date.now() / 1000);
  const started = performance.now();
  const failed = (cause: string): WebhookPostOutcome => ({
    ok: false,
    statusCode: null,
    error: CONNECTION_FAILED,
    cause,
    durationMs: performance.now() - started,
  });
  let url: URL;
  try {
    url = new URL(sub.url);
  } catch {
    return failed('URL illisible');
  }
  // A literal address is connected to without any lookup: it is checked here instead.
  const host = bareHost(url.hostname);
  if (isIP(host) !== 0) {
    const problem = forbiddenAddress(host, options.policy);
    if (problem !== null) return failed(problem);
  }
  const https = url.protocol === 'https:';
  const secrets = sub.previousSecret ? [sub.secret, sub.previousSecret] : [sub.secret];
  // webhook-id is the event id: the same on every retry, the receiver's deduplication key.
  const headers: Record<string, string> = {
    'Content-Type': cloudEvents ? CLOUDEVENTS_JSON : 'application/json',
    'Content-Length': String(Buffer.byteLength(body)),
    'User-Agent': options.userAgent,
    [STANDARD_WEBHOOK_HEADERS.id]: event.id,
    [STANDARD_WEBHOOK_HEADERS.timestamp]: String(timestamp),
    [STANDARD_WEBHOOK_HEADERS.signature]: standardSignatureHeader(secrets, event.id, timestamp, body),
    ...(options.legacyHeaders === false
      ? {}
      : {
          [WEBHOOK_HEADERS.eventId]: event.id,
          [WEBHOOK_HEADERS.eventType]: event.type,
          [WEBHOOK_HEADERS.timestamp]: String(timestamp),
          // During a rotation overlap, one `v1=` per secret: receivers holding either one verify.
          [WEBHOOK_HEADERS.signature]: secrets.map((s) => signatureHeader(s, timestamp, body)).join(', '),
          [WEBHOOK_HEADERS.webhookId]: sub.id,
          [WEBHOOK_HEADERS.attempt]: String(attempt),
        }),
  };
  try {
    const status = await new Promise<number>((resolve, reject) => {
      const req = (https ? httpsRequest : httpRequest)(
        url,
        {
          method: 'POST',
          headers,
          signal: AbortSignal.timeout(options.timeoutMs),
          lookup: checkedLookup(options.policy, options.resolveAll ?? systemResolveAll),
          ...(https
            ? options.agents?.https
              ? { agent: options.agents.https }
              : {}
            : options.agents?.http
              ? { agent: options.agents.http }
              : {}),
        },
        (res: IncomingMessage) => {
          const code = res.statusCode ?? 0;
          // The answer's body is of no use; reading it to its end frees the connection for the
          // next event, and the timeout's signal bounds a body that never ends.
          res.on('end', () => resolve(code));
          res.on('error', () => resolve(code));
          res.on('close', () => resolve(code));
          res.resume();
        },
      );
      req.on('error', reject);
      req.end(body);
    });
    const ok = status >= 200 && status < 300;
    return {
      ok,
      statusCode: status,
      error: ok ? null : `réponse HTTP ${status}`,
      cause: null,
      durationMs: performance.now() - started,
    };
  } catch (e) {
    return failed(causeOf(e));
  }
};
