import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { Parser } from '@asyncapi/parser';
import { v7 as uuidv7 } from 'uuid';
import { CommandPipeline } from '@segur/commands';
import { DOSSIER_EVENT_TYPES, type DossierCommand } from '@segur/domain';
import { piece, seedSoldeEnCours } from '../support/seed-dossiers';
import { startTestApp, type TestApp } from '../support/test-app';

jest.setTimeout(180_000);

type Json = Record<string, unknown>;
const PUBLIC_URL = 'https://segur.example.fr';

/**
 * The served schemas stay open to new optional fields (a consumer must not break on them); here
 * every object is closed, so a field the engine publishes and the catalogue does not describe fails.
 */
const closed = (node: unknown): unknown => {
  if (Array.isArray(node)) return node.map(closed);
  if (typeof node !== 'object' || node === null) return node;
  const out: Json = Object.fromEntries(Object.entries(node).map(([k, v]) => [k, closed(v)]));
  if (out.properties && out.additionalProperties === undefined) out.additionalProperties = false;
  return out;
};

const newAjv = (): Ajv2020 => {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  return ajv;
};

const lines = (text: string): Json[] =>
  text
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => JSON.parse(l) as Json);

/** One event of every type, each through the real command pipeline (decider, store, envelopes). */
const appendEveryType = async (t: TestApp): Promise<void> => {
  const pipeline = new CommandPipeline(t.infra);
  const start = Date.now();
  let elapsed = 0;
  // One second between commands; the reminder and the expiry jump past their due instants.
  const at = (): string => new Date(start + (elapsed += 1000)).toISOString();
  const jump = (ms: number): void => {
    elapsed += ms;
  };
  const gestionnaire = { id: 'g1', role: 'gestionnaire' as const };
  const fournisseur = { id: 'f1', role: 'fournisseur' as const };
  const system = { id: 'deadlines', role: 'system' as const };
  const exec = (command: Omit<DossierCommand, 'at'>) =>
    pipeline.execute({ ...command, at: at() } as DossierCommand, {
      commandId: uuidv7(),
      correlationId: 'catalogue',
      causationId: null,
    });
  const { numeroAsp } = await seedSoldeEnCours(t.infra, { numeroAsp: 'FINSAS000001' });
  const round = { numeroAsp, commentaire: 'RIB illisible', reminderAfter: 'PT1H', expiryAfter: 'PT2H' };
  await exec({ type: 'RequestModification', actor: gestionnaire, data: round });
  await exec({
    type: 'EditModificationDraft',
    actor: fournisseur,
    data: { numeroAsp, fields: { contactSupport: 'support@editeur.fr' } },
  });
  const removed = piece('AUTRE_S', 'brouillon.pdf');
  await exec({ type: 'AddPiece', actor: fournisseur, data: { numeroAsp, piece: removed } });
  await exec({ type: 'RemovePiece', actor: fournisseur, data: { numeroAsp, pieceId: removed.pieceId } });
  await exec({
    type: 'AddPiece',
    actor: fournisseur,
    data: { numeroAsp, piece: piece('AUTRE_S', 'rib.pdf') },
  });
  await exec({ type: 'SubmitModification', actor: fournisseur, data: { numeroAsp } });
  await exec({ type: 'RequestModification', actor: gestionnaire, data: round });
  jump(3_600_000);
  await exec({ type: 'SendModificationReminder', actor: system, data: { numeroAsp, version: 'M2' } });
  jump(3_600_000);
  await exec({ type: 'ExpireModification', actor: system, data: { numeroAsp, version: 'M2' } });
  await exec({ type: 'RequestModification', actor: gestionnaire, data: round });
  await exec({ type: 'DeclineModification', actor: fournisseur, data: { numeroAsp } });
  const validated = await exec({
    type: 'ValidateSolde',
    actor: gestionnaire,
    data: { numeroAsp, engagementRetenuCents: null, soldeDecideCents: null },
  });
  await exec({
    type: 'RecordEmailSent',
    actor: { id: 'mailer', role: 'system' },
    data: {
      numeroAsp,
      causationEventId: validated.events[0]?.id ?? '',
      template: 'SOLDE_VALIDE',
      to: 'pascal.breton@axyus.com',
      subject: 'Solde validé',
      messageId: '<1@segur.example.fr>',
    },
  });
  await exec({
    type: 'RecordSoldePayment',
    actor: gestionnaire,
    data: { numeroAsp, datePaiement: null, montantCents: null },
  });
  await exec({
    type: 'IssueRecoveryOrder',
    actor: gestionnaire,
    data: { numeroAsp, montantCents: 1000, motif: 'Contrôle a posteriori' },
  });
  const rejected = await seedSoldeEnCours(t.infra, { numeroAsp: 'FINSAS000002' });
  await exec({
    type: 'RejectSolde',
    actor: gestionnaire,
    data: { numeroAsp: rejected.numeroAsp, motif: 'Facture absente' },
  });
  await seedSoldeEnCours(t.infra, { numeroAsp: 'FINSAS000003', beneficiaireSolde: '999999999' });
};

describe('The event catalogue as a contract: /asyncapi.json and the served schemas', () => {
  let t: TestApp;
  let asyncApi: Json;
  let service: string;

  beforeAll(async () => {
    t = await startTestApp({ PUBLIC_URL });
    service = t.token('service', undefined, 'service-catalogue');
    const res = await t.http().get('/asyncapi.json');
    expect(res.status).toBe(200);
    asyncApi = res.body as Json;
    await appendEveryType(t);
  });
  afterAll(() => t.close());

  const feed = async (query: string): Promise<Json[]> => {
    const res = await t.http().get(`/api/v1/events?limit=1000${query}`).auth(service, { type: 'bearer' });
    expect(res.status).toBe(200);
    return lines(res.text);
  };

  it('is a valid AsyncAPI 3 document for @asyncapi/parser, served without a token', async () => {
    expect(asyncApi.asyncapi).toBe('3.0.0');
    const { document, diagnostics } = await new Parser().parse(JSON.stringify(asyncApi));
    const errors = diagnostics
      .filter((d) => Number(d.severity) === 0) // DiagnosticSeverity.Error
      .map((d) => `${d.message} @ ${d.path.join('/')}`);
    expect(errors).toEqual([]);
    expect(document).toBeDefined();
    expect(
      document
        ?.channels()
        .all()
        .map((c) => c.id()),
    ).toEqual(expect.arrayContaining(['feed', 'feedCloudEvents', 'sse', 'webhook']));
    // One message per event type and version on each channel.
    expect(document?.channels().get('feed')?.messages().all()).toHaveLength(DOSSIER_EVENT_TYPES.length);
  });

  it('every envelope the engine publishes, of every type, matches its schema in the document', async () => {
    const events = await feed('');
    expect(new Set(events.map((e) => e.type))).toEqual(new Set(DOSSIER_EVENT_TYPES));
    const ajv = newAjv();
    ajv.addSchema(closed(asyncApi) as Json, 'asyncapi');
    for (const e of events) {
      const validate = ajv.getSchema(
        `asyncapi#/components/schemas/${String(e.type)}.v${String(e.schemaVersion)}.envelope`,
      );
      expect(validate).toBeDefined();
      const ok = validate?.(e);
      if (!ok) throw new Error(`${String(e.type)} : ${ajv.errorsText(validate?.errors)}`);
    }
  });

  it('every CloudEvent matches its schema, and its dataschema link resolves to the schema of its data', async () => {
    const events = await feed('&format=cloudevents');
    expect(events).toHaveLength(new Set(events.map((e) => e.id)).size);
    const ajv = newAjv();
    ajv.addSchema(closed(asyncApi) as Json, 'asyncapi');
    const dataAjv = newAjv();
    const seen = new Set<string>();
    for (const ce of events) {
      const key = String(ce.dataschema)
        .replace(`${PUBLIC_URL}/schemas/events/`, '')
        .replace(/\.json$/, '');
      const validate = ajv.getSchema(`asyncapi#/components/schemas/${key}.cloudevent`);
      expect(validate).toBeDefined();
      if (!validate?.(ce)) throw new Error(`${key} : ${ajv.errorsText(validate?.errors)}`);
      const url = String(ce.dataschema);
      expect(url.startsWith(`${PUBLIC_URL}/schemas/events/`)).toBe(true);
      if (!seen.has(url)) {
        seen.add(url);
        const res = await t.http().get(url.slice(PUBLIC_URL.length));
        expect(res.status).toBe(200);
        expect(res.headers['content-type']).toMatch(/^application\/schema\+json/);
        const schema = JSON.parse(res.text) as Json;
        expect(schema.$id).toBe(url);
        dataAjv.addSchema(closed(schema) as Json);
      }
      const validateData = dataAjv.getSchema(url);
      if (!validateData?.(ce.data))
        throw new Error(`${key} data : ${dataAjv.errorsText(validateData?.errors)}`);
    }
    expect(seen.size).toBe(DOSSIER_EVENT_TYPES.length);
  });

  it('an unknown schema is a 404 problem', async () => {
    const res = await t.http().get('/schemas/events/Nope.v1.json');
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect((JSON.parse(res.text) as Json).code).toBe('INTROUVABLE');
  });
});
