import { isIP } from 'node:net';

export const WEBHOOK_URL_MAX_LENGTH = 2000;

const isLoopback = (hostname: string): boolean => {
  // URL keeps IPv6 literals bracketed: "[::1]".
  const host = hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  if (isIP(host) === 6) return host === '::1' || host === '0:0:0:0:0:0:0:1';
  return false;
};

/**
 * Why a webhook URL is refused (French, shown to the caller), or null when it is acceptable.
 * Events carry personal and banking data: they travel over TLS, except to a receiver on this very
 * machine (a sidecar, a test), where plain http never leaves the host.
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
    return isLoopback(url.hostname)
      ? null
      : 'url : https obligatoire (http seulement vers localhost / 127.0.0.1 / ::1)';
  return `url : protocole ${url.protocol} non supporté (https attendu)`;
};
