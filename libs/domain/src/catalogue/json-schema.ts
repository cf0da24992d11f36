// Tiny builders for the JSON Schemas (2020-12) of the event catalogue: the shapes read as the
// TypeScript interfaces of dossier.events.ts do, without a schema library in the pure domain.

/** A JSON Schema as plain data (what is served at `/schemas/events/…`). */
export type JsonSchema = { readonly [keyword: string]: unknown };

export const str = (description?: string): JsonSchema => ({
  type: 'string',
  ...(description ? { description } : {}),
});
export const nullable = (schema: JsonSchema): JsonSchema => ({ anyOf: [schema, { type: 'null' }] });
export const enumOf = (values: readonly string[], description?: string): JsonSchema => ({
  type: 'string',
  enum: [...values],
  ...(description ? { description } : {}),
});
export const int = (description?: string): JsonSchema => ({
  type: 'integer',
  ...(description ? { description } : {}),
});
export const cents = (description = 'Montant en centimes d’euro (entier)'): JsonSchema => ({
  type: 'integer',
  description,
});
export const instant = (description = 'Instant ISO-8601 UTC'): JsonSchema => ({
  type: 'string',
  format: 'date-time',
  description,
});
export const calendarDate = (description = 'Date calendaire yyyy-MM-dd'): JsonSchema => ({
  type: 'string',
  format: 'date',
  description,
});
export const bool = (): JsonSchema => ({ type: 'boolean' });
export const arrayOf = (items: JsonSchema): JsonSchema => ({ type: 'array', items });

/**
 * An object whose listed properties are all required unless named in `optional`. Open to new
 * properties on purpose: the contract lets a shape gain optional fields without a new
 * schemaVersion, and a consumer validating with this schema must not break on them.
 */
export const object = (
  properties: Record<string, JsonSchema>,
  optional: readonly string[] = [],
): JsonSchema => ({
  type: 'object',
  properties,
  required: Object.keys(properties).filter((k) => !optional.includes(k)),
});
