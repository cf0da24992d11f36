import type { OpenAPIObject } from '@nestjs/swagger';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Stable problem codes of the HTTP layer and the domain (docs/api.md, docs/domain.md). */
export const PROBLEM_CODES = [
  'REQUETE_INVALIDE',
  'CURSEUR_INVALIDE',
  'CHAMP_INVALIDE',
  'CHAMP_INCONNU',
  'CHAMP_NON_MODIFIABLE',
  'JSON_INVALIDE',
  'ENCODAGE_INVALIDE',
  'DATE_INVALIDE',
  'NON_AUTHENTIFIE',
  'ACCES_REFUSE',
  'INTROUVABLE',
  'CONFLIT_VERSION',
  'REQUETE_EN_COURS',
  'LONGUEUR_REQUISE',
  'TROP_VOLUMINEUX',
  'TYPE_NON_SUPPORTE',
  'IDEMPOTENCE_CLE_REUTILISEE',
  'ERREUR_INTERNE',
  'LECTURE_EN_RETARD',
  'VUE_BLOQUEE',
  'EVENEMENT_EN_QUARANTAINE',
] as const;

const PROBLEM_SCHEMA = {
  type: 'object',
  description: 'RFC 9457 problem details ; `code` est stable, `detail` est en français.',
  required: ['type', 'title', 'status', 'code', 'detail'],
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    code: {
      type: 'string',
      description: `Code stable. Codes de la couche HTTP : ${PROBLEM_CODES.join(', ')} ; codes métier : docs/domain.md.`,
      examples: ['CONFLIT_VERSION'],
    },
    detail: { type: 'string' },
    instance: { type: 'string' },
    correlationId: { type: 'string' },
    errors: {
      type: 'array',
      items: {
        type: 'object',
        properties: { path: { type: 'string' }, code: { type: 'string' }, message: { type: 'string' } },
      },
    },
  },
  examples: [
    {
      type: 'about:blank',
      title: 'Conflict',
      status: 412,
      code: 'CONFLIT_VERSION',
      detail: 'Le dossier a changé depuis votre lecture (version 4, attendue 3)',
    },
  ],
};

const PARAMETERS = {
  'X-Correlation-Id': {
    name: 'X-Correlation-Id',
    in: 'header',
    required: false,
    description:
      'Identifiant de corrélation repris dans les journaux et les métadonnées des événements ; généré sinon.',
    schema: { type: 'string', maxLength: 200 },
  },
  'If-Match': {
    name: 'If-Match',
    in: 'header',
    required: false,
    description:
      'Version du dossier attendue (`"<streamVersion>"`, l’ETag reçu) : 412 CONFLIT_VERSION si elle a changé.',
    schema: { type: 'string' },
    example: '"3"',
  },
  'Idempotency-Key': {
    name: 'Idempotency-Key',
    in: 'header',
    required: false,
    description: 'Même clé + même requête : la même réponse, rien n’est fait deux fois (1 à 200 caractères).',
    schema: { type: 'string', minLength: 1, maxLength: 200 },
    example: '0b6c5f3e-7d1e-4a8e-9a53-2f0f6b1d9c11',
  },
  'X-Min-Position': {
    name: 'X-Min-Position',
    in: 'header',
    required: false,
    description:
      'Lire ses propres écritures : attend que les vues aient atteint cette position (X-Position d’une commande).',
    schema: { type: 'string' },
  },
};

const HEADERS = {
  'X-Correlation-Id': {
    description: 'Identifiant de corrélation de la requête.',
    schema: { type: 'string' },
  },
  ETag: {
    description: 'Version du dossier après la commande, à renvoyer en If-Match.',
    schema: { type: 'string' },
  },
  'X-Position': {
    description: 'Position globale du dernier événement écrit, à renvoyer en X-Min-Position.',
    schema: { type: 'string' },
  },
};

const ref = (kind: string, name: string): Json => ({ $ref: `#/components/${kind}/${name}` });

/** `#/$defs/x` inside an embedded JSON Schema → the component its definition was moved to. */
const rewriteRefs = (node: unknown, prefix: string): unknown => {
  if (Array.isArray(node)) return node.map((n) => rewriteRefs(n, prefix));
  if (!isObject(node)) return node;
  const out: Json = {};
  for (const [k, v] of Object.entries(node)) {
    out[k] =
      k === '$ref' && typeof v === 'string' && v.startsWith('#/$defs/')
        ? `#/components/schemas/${prefix}.${v.slice('#/$defs/'.length)}`
        : rewriteRefs(v, prefix);
  }
  return out;
};

const componentName = (schema: Json, seen: Map<string, string>): string => {
  const id = typeof schema.$id === 'string' ? schema.$id : '';
  const known = seen.get(id);
  if (known) return known;
  const base = (id.split('/').pop() ?? '').replace(/\.schema\.json$|\.json$/, '') || 'Schema';
  const name = `Import${base.charAt(0).toUpperCase()}${base.slice(1)}`.replace(/[^A-Za-z0-9._-]/g, '_');
  seen.set(id, name);
  return name;
};

/**
 * Embedded JSON Schema documents (the import files' published schemas, with `$defs`) become
 * components: their definitions go to `components.schemas` as `<Name>.<def>`, their references are
 * rewritten, and every place they were embedded refers to the component instead.
 */
const hoistEmbeddedSchemas = (node: unknown, schemas: Json, seen: Map<string, string>): unknown => {
  if (Array.isArray(node)) return node.map((n) => hoistEmbeddedSchemas(n, schemas, seen));
  if (!isObject(node)) return node;
  if (isObject(node.$defs)) {
    const name = componentName(node, seen);
    if (!(name in schemas)) {
      const { $defs, $schema: _dialect, ...rest } = node;
      for (const [def, value] of Object.entries($defs)) schemas[`${name}.${def}`] = rewriteRefs(value, name);
      schemas[name] = rewriteRefs(rest, name);
    }
    return ref('schemas', name);
  }
  const out: Json = {};
  for (const [k, v] of Object.entries(node)) out[k] = hoistEmbeddedSchemas(v, schemas, seen);
  return out;
};

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;
const SHARED_HEADER_NAMES = new Map(
  (Object.keys(PARAMETERS) as (keyof typeof PARAMETERS)[]).map((k) => [k.toLowerCase(), k]),
);

/**
 * What Nest's generator leaves out, added in one place: OpenAPI 3.1 (its schemas are JSON Schema
 * 2020-12, the import files' own dialect), the problem+json answer of every route, the consistency
 * and correlation headers, and a summary and explicit security on every operation.
 */
export const finishOpenApiDocument = (generated: OpenAPIObject): Json => {
  const doc = generated as unknown as Json;
  const components = isObject(doc.components) ? doc.components : {};
  const schemas = isObject(components.schemas) ? components.schemas : {};
  const paths = hoistEmbeddedSchemas(doc.paths, schemas, new Map()) as Record<string, Json>;
  schemas.Problem = PROBLEM_SCHEMA;
  for (const [path, item] of Object.entries(paths)) {
    for (const method of METHODS) {
      const op = item[method];
      if (!isObject(op)) continue;
      if (typeof op.summary !== 'string')
        op.summary = typeof op.operationId === 'string' ? op.operationId : `${method} ${path}`;
      // A route without a security requirement is public (health, readiness, metrics): said so.
      if (!Array.isArray(op.security)) op.security = [];
      // Header names are case-insensitive: Nest lists `@Headers('x-min-position')` as a required
      // parameter next to the documented `X-Min-Position`; one optional shared parameter remains
      // (a generated client otherwise demands both).
      const seen = new Set<string>();
      const params = ((Array.isArray(op.parameters) ? op.parameters : []) as Json[]).flatMap((p) => {
        if (p.in !== 'header' || typeof p.name !== 'string') return [p];
        const lower = p.name.toLowerCase();
        if (seen.has(lower)) return [];
        seen.add(lower);
        const shared = SHARED_HEADER_NAMES.get(lower);
        return [shared ? ref('parameters', shared) : p];
      });
      const add = (name: keyof typeof PARAMETERS): void => {
        if (seen.has(name.toLowerCase())) return;
        seen.add(name.toLowerCase());
        params.push(ref('parameters', name));
      };
      add('X-Correlation-Id');
      const command = method !== 'get' && path.startsWith('/api/v1/dossiers/');
      if (command) add('If-Match');
      if (method !== 'get' && (command || path.startsWith('/api/v1/imports'))) add('Idempotency-Key');
      if (method === 'get' && /^\/api\/v1\/(dossiers|reports)/.test(path)) add('X-Min-Position');
      op.parameters = params;
      const responses = (isObject(op.responses) ? op.responses : {}) as Record<string, Json>;
      for (const [status, response] of Object.entries(responses)) {
        const headers = isObject(response.headers) ? response.headers : {};
        headers['X-Correlation-Id'] = ref('headers', 'X-Correlation-Id');
        if (command && status.startsWith('2')) {
          headers.ETag = ref('headers', 'ETag');
          headers['X-Position'] = ref('headers', 'X-Position');
        }
        response.headers = headers;
        if (response.description === '') response.description = status.startsWith('2') ? 'Succès' : status;
      }
      responses.default = {
        description: 'Erreur (problem+json, `code` stable)',
        headers: { 'X-Correlation-Id': ref('headers', 'X-Correlation-Id') },
        content: { 'application/problem+json': { schema: ref('schemas', 'Problem') } },
      };
      op.responses = responses;
    }
  }
  return {
    ...doc,
    openapi: '3.1.0',
    servers: Array.isArray(doc.servers) && doc.servers.length > 0 ? doc.servers : [{ url: '/' }],
    paths,
    components: {
      ...components,
      schemas,
      parameters: { ...(isObject(components.parameters) ? components.parameters : {}), ...PARAMETERS },
      headers: { ...(isObject(components.headers) ? components.headers : {}), ...HEADERS },
    },
  };
};
