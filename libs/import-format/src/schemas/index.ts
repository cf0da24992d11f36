// The published schemas, as objects for whoever serves or compiles them (OpenAPI, ajv). They
// describe the shape; the server's checks (validateImportFile) are the stricter reference.
import avanceSchemaJson from './avance.schema.json';
import soldeSchemaJson from './solde.schema.json';

export const avanceSchema: Readonly<Record<string, unknown>> = avanceSchemaJson;
export const soldeSchema: Readonly<Record<string, unknown>> = soldeSchemaJson;

export const importSchemas = { avance: avanceSchema, solde: soldeSchema } as const;
