import { EVENT_CATALOGUE, eventSchemaPath, type DossierEventType, type JsonSchema } from '@segur/domain';
import { cloudEventType } from '@segur/webhooks';

// The two published wrappings of an event's `data` (our envelope, a CloudEvents 1.0 structured-mode
// object), as JSON Schemas whose `data` points at the catalogue's schema of that type.

const instant = { type: 'string', format: 'date-time' };
const metadata: JsonSchema = {
  type: 'object',
  description: 'Métadonnées : actor {id, role}, correlationId, causationId, commandId',
  properties: {
    actor: {
      type: 'object',
      properties: { id: { type: 'string' }, role: { type: 'string' } },
      required: ['id', 'role'],
    },
    correlationId: { type: ['string', 'null'] },
    causationId: { type: ['string', 'null'] },
    commandId: { type: ['string', 'null'] },
  },
};

/** Our envelope (NDJSON line, SSE `data:`, webhook body in the `envelope` format). */
export const envelopeSchema = (type: DossierEventType, data: JsonSchema): JsonSchema => {
  const { schemaVersion, description } = EVENT_CATALOGUE[type];
  return {
    type: 'object',
    title: `${type} v${schemaVersion}`,
    description,
    required: ['id', 'type', 'schemaVersion', 'streamId', 'streamVersion', 'position', 'recordedAt', 'data'],
    properties: {
      id: {
        type: 'string',
        format: 'uuid',
        description: 'Id de l’événement (UUID v7) : clé de dédoublonnage',
      },
      type: { type: 'string', const: type },
      schemaVersion: { type: 'integer', const: schemaVersion },
      streamId: { type: 'string', description: 'dossier-<numéro ASP>' },
      streamVersion: { type: 'integer', description: 'Version du flux du dossier après cet événement' },
      position: {
        type: 'string',
        description: 'Curseur opaque totalement ordonné : à stocker pour reprendre',
      },
      recordedAt: instant,
      data,
      metadata,
    },
  };
};

/** A CloudEvents 1.0 structured-mode object (`format=cloudevents`, webhook format `cloudevents`). */
export const cloudEventSchema = (type: DossierEventType, data: JsonSchema): JsonSchema => {
  const { schemaVersion, description } = EVENT_CATALOGUE[type];
  return {
    type: 'object',
    title: `${cloudEventType(type, schemaVersion)} (CloudEvents 1.0)`,
    description,
    required: [
      'specversion',
      'id',
      'source',
      'type',
      'time',
      'datacontenttype',
      'dataschema',
      'position',
      'data',
    ],
    properties: {
      specversion: { type: 'string', const: '1.0' },
      id: { type: 'string', format: 'uuid' },
      source: { type: 'string', description: 'URI-reference du moteur (CLOUDEVENTS_SOURCE)' },
      type: { type: 'string', const: cloudEventType(type, schemaVersion) },
      subject: { type: 'string', description: 'Numéro ASP du dossier' },
      time: instant,
      datacontenttype: { type: 'string', const: 'application/json' },
      dataschema: {
        type: 'string',
        format: 'uri',
        description: `<PUBLIC_URL>${eventSchemaPath(type, schemaVersion)}`,
      },
      position: { type: 'string', description: 'Attribut d’extension : le curseur de l’événement' },
      streamversion: { type: 'integer', description: 'Attribut d’extension : version du flux' },
      data,
    },
  };
};
