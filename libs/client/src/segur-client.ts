import createClient from 'openapi-fetch';
import type { paths } from './segur-api';

export interface SegurClientOptions {
  /** The engine's root URL, e.g. `https://segur.example.fr` (the paths carry `/api/v1`). */
  baseUrl: string;
  /** A bearer token, or a function giving a fresh one for each request. */
  token: string | (() => string | Promise<string>);
  /** Another `fetch` (tests, proxies); the global one by default. */
  fetch?: typeof fetch;
}

/**
 * Commands and queries, typed from the engine's OpenAPI document (`segur-api.ts`, generated):
 * `api.POST('/api/v1/dossiers/{numeroAsp}/solde/validation', { params: { path: { numeroAsp } } })`.
 * A wrong path, parameter or body does not compile; an answer is `{ data }` or `{ error }` (the
 * problem+json of the engine, with its stable `code`).
 */
export const createSegurClient = (options: SegurClientOptions) => {
  const api = createClient<paths>({
    baseUrl: options.baseUrl.replace(/\/+$/, ''),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  api.use({
    async onRequest({ request }) {
      const token = typeof options.token === 'function' ? await options.token() : options.token;
      request.headers.set('Authorization', `Bearer ${token}`);
      return request;
    },
  });
  return api;
};

export type SegurApi = ReturnType<typeof createSegurClient>;
