import { EVENT_CATALOGUE, type JsonSchema } from '@segur/domain';

/** `a, b{c, d}, e[]`: a one-line reading of a data schema for the feed's OpenAPI description. */
const fieldsOf = (schema: JsonSchema): string => {
  const props = (schema.properties ?? {}) as Record<string, JsonSchema>;
  return Object.entries(props)
    .map(([name, s]) => {
      const inner = (Array.isArray(s.anyOf) ? (s.anyOf[0] as JsonSchema) : s) ?? {};
      if (inner.type === 'array') return `${name}[]`;
      if (inner.type === 'object' && inner.properties) return `${name}{${fieldsOf(inner)}}`;
      return name;
    })
    .join(', ');
};

export const eventCatalogueMarkdown = (): string =>
  [
    'Enveloppe : `id` (UUID v7), `type`, `schemaVersion`, `streamId` (`dossier-<numeroAsp>`), `streamVersion`, `position` (curseur opaque, totalement ordonné), `recordedAt`, `data`, `metadata` {`actor` {id, role}, `correlationId`, `causationId`, `commandId`}.',
    '',
    'Schéma JSON de `data` par type et version : `/schemas/events/<type>.v<schemaVersion>.json` ; document AsyncAPI 3 : `/asyncapi.json`.',
    '',
    '| type | schemaVersion | description | data |',
    '|---|---|---|---|',
    ...Object.entries(EVENT_CATALOGUE).map(
      ([t, c]) => `| ${t} | ${c.schemaVersion} | ${c.description} | ${fieldsOf(c.data)} |`,
    ),
  ].join('\n');
