import { EVENT_CATALOGUE, eventDataJsonSchema, eventSchemaPath } from './event-catalogue';

describe('eventSchemaPath', () => {
  it('names the data schema of a type and schema version, relative to the API root', () => {
    expect(eventSchemaPath('SoldeValidated', 1)).toBe('/schemas/events/SoldeValidated.v1.json');
    expect(eventSchemaPath('ModificationRequested', 2)).toBe('/schemas/events/ModificationRequested.v2.json');
  });
});

describe('eventDataJsonSchema', () => {
  const data = EVENT_CATALOGUE.RecoveryOrderIssued.data;

  it('is the catalogue data schema with a JSON Schema 2020-12 header, its $id and its title', () => {
    expect(eventDataJsonSchema('RecoveryOrderIssued', 'https://segur.example.fr')).toEqual({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      $id: 'https://segur.example.fr/schemas/events/RecoveryOrderIssued.v1.json',
      title: 'RecoveryOrderIssued v1 (data)',
      description: 'Ordre de recouvrement émis.',
      ...data,
    });
  });

  it('keeps the data schema itself: an object with its properties and required fields', () => {
    expect(eventDataJsonSchema('RecoveryOrderIssued')).toMatchObject({
      type: 'object',
      required: ['numeroAsp', 'montantCents', 'motif', 'issuedBy', 'issuedAt'],
    });
  });

  it('without a base URL, the $id is the path relative to the API root', () => {
    expect(eventDataJsonSchema('RecoveryOrderIssued').$id).toBe(
      '/schemas/events/RecoveryOrderIssued.v1.json',
    );
  });
});
