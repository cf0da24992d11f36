import { isLoopbackHost } from './webhook-target';

export const WEBHOOK_URL_MAX_LENGTH = 2000;

/**
 * Why a webhook URL is refused by its form (French, shown to the caller), or null when its form is
 * acceptable; where it points is judged by `webhookTargetProblem` (webhook-target.ts).
 * Events carry personal and banking data: they travel over TLS, except to a receiver on this very
 * machine (a sidecar, a test, when `WEBHOOK_ALLOW_LOOPBACK` allows it), where plain http never
 * leaves the host.
 */
export const webhookUrlProblem = (raw: string): string | null => {
  if (raw.length > WEBHOOK_URL_MAX_LENGTH) return `url : ${WEBHOOK_URL_MAX_LENGTH} caractères au plus`;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'url : URL absolue invalide';
  }
  if (url.username !== '' || url.password !== '')
    return 'url : identifiants interdits dans l’URL (le secret de signature authentifie les envois)';
  if (url.hash !== '') return 'url : fragment (#…) interdit';
  if (url.protocol === 'https:') return null;
  if (url.protocol === 'http:')
    return isLoopbackHost(url.hostname)
      ? null
      : 'url : https obligatoire (http seulement vers localhost / 127.0.0.1 / ::1)';
  return `url : protocole ${url.protocol} non supporté (https attendu)`;
};
