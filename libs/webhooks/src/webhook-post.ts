import type { RecordedEvent } from '@segur/event-store';
import { WEBHOOK_HEADERS, signatureHeader } from './webhook-signature';

export interface WebhookPostOutcome {
  ok: boolean;
  statusCode: number | null;
  /** French, kept in the delivery log the subscriber reads. */
  error: string | null;
  durationMs: number;
}

const describe = (e: unknown, timeoutMs: number): string => {
  const err = e as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (err.name === 'TimeoutError' || err.name === 'AbortError')
    return `délai de réponse dépassé (${timeoutMs} ms)`;
  const cause = err.cause?.code ?? err.cause?.message ?? err.message ?? String(e);
  return `requête impossible : ${cause}`;
};

/** One signed POST of one event envelope. Never throws: every outcome goes to the delivery log. */
export const postWebhook = async (
  sub: { id: string; url: string; secret: string; previousSecret?: string | null },
  event: RecordedEvent,
  attempt: number,
  options: { timeoutMs: number; userAgent: string },
): Promise<WebhookPostOutcome> => {
  const body = JSON.stringify(event);
  const timestamp = Math.floor(Date.now() / 1000);
  const started = performance.now();
  try {
    const res = await fetch(sub.url, {
      method: 'POST',
      // A redirect is a failure: following it would send signed data to a URL nobody registered.
      redirect: 'manual',
      signal: AbortSignal.timeout(options.timeoutMs),
      headers: {
        'Content-Type': 'application/json',
        'User-Agent': options.userAgent,
        [WEBHOOK_HEADERS.eventId]: event.id,
        [WEBHOOK_HEADERS.eventType]: event.type,
        [WEBHOOK_HEADERS.timestamp]: String(timestamp),
        // During a rotation overlap, one `v1=` per secret: receivers holding either one verify.
        [WEBHOOK_HEADERS.signature]: sub.previousSecret
          ? `${signatureHeader(sub.secret, timestamp, body)}, ${signatureHeader(sub.previousSecret, timestamp, body)}`
          : signatureHeader(sub.secret, timestamp, body),
        [WEBHOOK_HEADERS.webhookId]: sub.id,
        [WEBHOOK_HEADERS.attempt]: String(attempt),
      },
      body,
    });
    // The answer's body is of no use; discarding it frees the connection for the next event.
    await res.body?.cancel().catch(() => undefined);
    const ok = res.status >= 200 && res.status < 300;
    return {
      ok,
      statusCode: res.status,
      error: ok ? null : `réponse HTTP ${res.status}`,
      durationMs: performance.now() - started,
    };
  } catch (e) {
    return {
      ok: false,
      statusCode: null,
      error: describe(e, options.timeoutMs),
      durationMs: performance.now() - started,
    };
  }
};
