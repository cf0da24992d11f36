import { DOSSIER_EVENT_TYPES, EVENT_CATALOGUE, type DossierEventType } from '@segur/domain';
import { CLOUDEVENTS_JSON } from '@segur/webhooks';
import { cloudEventSchema, envelopeSchema } from './event-envelopes';

type Json = Record<string, unknown>;

/** `AvanceImported.v1`: the key of a type's schemas and messages in `components`. */
const keyOf = (type: DossierEventType): string => `${type}.v${EVENT_CATALOGUE[type].schemaVersion}`;
const ref = (path: string): Json => ({ $ref: path });

const WEBHOOK_HEADERS = {
  type: 'object',
  required: ['webhook-id', 'webhook-timestamp', 'webhook-signature'],
  properties: {
    'webhook-id': { type: 'string', description: 'Id de l’événement : identique à chaque nouvel essai' },
    'webhook-timestamp': { type: 'string', description: 'Secondes Unix de l’envoi' },
    'webhook-signature': {
      type: 'string',
      description:
        'Standard Webhooks : `v1,<base64 HMAC-SHA256 de "id.timestamp.corps">`, plusieurs séparées par des espaces pendant une rotation',
    },
  },
};

const channel = (address: string | null, title: string, description: string, kind: string): Json => ({
  address,
  title,
  description,
  messages: Object.fromEntries(
    DOSSIER_EVENT_TYPES.map((t) => [`${keyOf(t)}${kind}`, ref(`#/components/messages/${keyOf(t)}${kind}`)]),
  ),
});

const sendAll = (channelName: string, kind: string, summary: string): Json => ({
  action: 'send',
  summary,
  channel: ref(`#/channels/${channelName}`),
  messages: DOSSIER_EVENT_TYPES.map((t) => ref(`#/channels/${channelName}/messages/${keyOf(t)}${kind}`)),
});

/**
 * The AsyncAPI 3.0 document of the engine's event channels (served at `/asyncapi.json`): the NDJSON
 * feed, its SSE stream and the webhooks, with one message per event type and version, built from the
 * domain's catalogue like the served JSON Schemas, so the three cannot disagree.
 */
export const buildAsyncApiDocument = (publicUrl: string): Json => {
  const url = new URL(publicUrl);
  const schemas: Json = {};
  const messages: Json = {};
  for (const t of DOSSIER_EVENT_TYPES) {
    const key = keyOf(t);
    const { description } = EVENT_CATALOGUE[t];
    schemas[key] = { title: `${key} (data)`, ...EVENT_CATALOGUE[t].data };
    const data = ref(`#/components/schemas/${key}`);
    schemas[`${key}.envelope`] = envelopeSchema(t, data);
    schemas[`${key}.cloudevent`] = cloudEventSchema(t, data);
    const base = { name: t, title: key, summary: description };
    messages[key] = {
      ...base,
      contentType: 'application/json',
      payload: ref(`#/components/schemas/${key}.envelope`),
    };
    messages[`${key}.cloudevent`] = {
      ...base,
      contentType: CLOUDEVENTS_JSON,
      payload: ref(`#/components/schemas/${key}.cloudevent`),
    };
    messages[`${key}.webhook`] = {
      ...base,
      contentType: 'application/json',
      headers: WEBHOOK_HEADERS,
      description: `Corps : l’enveloppe (format \`envelope\`, application/json) ou le CloudEvent (format \`cloudevents\`, ${CLOUDEVENTS_JSON}).`,
      payload: {
        oneOf: [ref(`#/components/schemas/${key}.envelope`), ref(`#/components/schemas/${key}.cloudevent`)],
      },
    };
  }
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Ségur numérique — événements des dossiers de financement',
      version: '1',
      description:
        'Les événements des dossiers, publiés en ordre total : flux NDJSON paginé, flux SSE, webhooks signés (Standard Webhooks). ' +
        'Chaque événement porte `position`, le curseur à stocker **après** traitement pour reprendre sans perte ; la livraison est « au moins une fois » : dédoublonnez sur `id`. ' +
        'Schéma JSON de `data` par type et version : `/schemas/events/<type>.v<n>.json` (le `dataschema` des CloudEvents).',
    },
    defaultContentType: 'application/json',
    servers: {
      api: {
        host: url.host,
        protocol: url.protocol.replace(':', ''),
        pathname: '/api/v1',
        description: 'Le moteur : flux et SSE (jeton Bearer de rôle `service` ou `auditeur`)',
        security: [ref('#/components/securitySchemes/bearer')],
      },
      subscriber: {
        host: '{host}',
        protocol: 'https',
        description: 'Le récepteur d’un abonnement webhook (son URL, donnée à POST /api/v1/webhooks)',
        variables: { host: { description: 'Hôte du récepteur' } },
      },
    },
    channels: {
      feed: {
        ...channel(
          '/events',
          'Flux NDJSON paginé',
          'GET /api/v1/events?after=<position>&limit=…&types=…&numeroAsp=…&category=dossier : une enveloppe par ligne (application/x-ndjson), ou un CloudEvent par ligne avec `format=cloudevents` / `Accept: application/cloudevents+json`. Page suivante : en-têtes `X-Next-Cursor` et `Link: <…>; rel="next"`.',
          '',
        ),
        servers: [ref('#/servers/api')],
      },
      feedCloudEvents: {
        ...channel(
          '/events?format=cloudevents',
          'Flux NDJSON en CloudEvents',
          'Le même flux, un CloudEvent 1.0 JSON par ligne.',
          '.cloudevent',
        ),
        servers: [ref('#/servers/api')],
      },
      sse: {
        ...channel(
          '/events',
          'Flux SSE (Accept: text/event-stream)',
          'Reste ouvert : `id:` = position, `event:` = type, `data:` = enveloppe (ou CloudEvent avec `format=cloudevents`). Reprise : `Last-Event-ID: <position>`. Lignes `:` = battements (15 s). `retry: 2000`.',
          '',
        ),
        servers: [ref('#/servers/api')],
      },
      webhook: {
        ...channel(
          null,
          'Webhooks',
          'POST vers l’URL de l’abonnement, un événement à la fois dans l’ordre, réessayé avec attente croissante tant que la réponse n’est pas un 2xx en moins de 5 s ; `410 Gone` suspend l’abonnement. Le moteur garde le curseur de chaque abonnement.',
          '.webhook',
        ),
        servers: [ref('#/servers/subscriber')],
      },
    },
    operations: {
      publishFeed: sendAll('feed', '', 'Le moteur publie chaque événement dans le flux NDJSON'),
      publishFeedCloudEvents: sendAll('feedCloudEvents', '.cloudevent', 'Le flux NDJSON en CloudEvents'),
      streamSse: sendAll('sse', '', 'Le moteur pousse chaque événement sur les flux SSE ouverts'),
      deliverWebhook: sendAll(
        'webhook',
        '.webhook',
        'Le moteur livre chaque événement aux abonnements webhook',
      ),
    },
    components: {
      schemas,
      messages,
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
      },
    },
  };
};
