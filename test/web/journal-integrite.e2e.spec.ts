import { isAuditable, makeCheckpoint } from '@segur/event-store';
import { auditSigningKeyOf } from '@segur/platform';
import { seedSoldeEnCours } from '../support/seed-dossiers';
import { tamperEventData, unchainDossier, type Tampered } from '../support/tamper-events';
import { startTestApp, type TestApp } from '../support/test-app';

// The journal page's integrity badge over HTTP, through the real app and its session cookie, on
// real PostgreSQL with TEST_DATABASE_URL, embedded PGlite otherwise (startTestApp chooses): both
// hold the chain's trigger and the append-only trigger the tampering turns off.
jest.setTimeout(120_000);

const CLEAN = { numeroAsp: 'FINSAS200001', siret: '79256844600019', numeroAns: 'intSAS0001' };
const TAMPERED = { numeroAsp: 'FINSAS200002', siret: '80125271900415', numeroAns: 'intSAS0002' };
const UNCHAINED = { numeroAsp: 'FINSAS200003', siret: '73282932000074', numeroAns: 'intSAS0003' };

describe('GET /dossiers/{n}/journal: « chaîne intègre » or the first broken link', () => {
  let t: TestApp;
  let checkpointId: number | undefined;
  let tampered: Tampered;
  let ids: Record<string, string[]>;

  const cookie = (role: string, siret?: string): string =>
    `segur_session=${t.token(role as never, siret, `dev-${role}`)}`;
  const journal = (numeroAsp: string, role = 'auditeur', siret?: string) =>
    t.http().get(`/dossiers/${numeroAsp}/journal`).set('Cookie', cookie(role, siret));
  /** The badge's markup, spaces folded: from #integrite to the filter form that follows it. */
  const badgeOf = (page: string): string => {
    const m = /<div id="integrite"[\s\S]*?(?=<form)/.exec(page);
    if (!m) throw new Error('pas de #integrite sur la page');
    return m[0].replace(/\s+/g, ' ');
  };
  const stateOf = (page: string): string[] =>
    [...page.matchAll(/data-integrite="([^"]*)"/g)].map((m) => m[1] as string);
  const eventIds = async (numeroAsp: string): Promise<string[]> => {
    const r = await t
      .http()
      .get(`/api/v1/dossiers/${numeroAsp}/events`)
      .auth(t.token('auditeur'), { type: 'bearer' });
    expect(r.status).toBe(200);
    return (r.body.events as { id: string }[]).map((e) => e.id);
  };

  beforeAll(async () => {
    t = await startTestApp();
    for (const d of [CLEAN, TAMPERED, UNCHAINED]) await seedSoldeEnCours(t.infra, d);
    const store = t.infra.store;
    if (!isAuditable(store)) throw new Error('le magasin de test devrait offrir la piste d’audit');
    const key = auditSigningKeyOf(t.infra.config);
    if (!key) throw new Error('pas de clé de signature en mode embarqué');
    checkpointId = (await makeCheckpoint(store.auditLog(), key)).checkpoint?.id;
    ids = {};
    for (const d of [CLEAN, TAMPERED, UNCHAINED]) ids[d.numeroAsp] = await eventIds(d.numeroAsp);
    tampered = await tamperEventData(t.infra.sql, TAMPERED.numeroAsp, 2);
    await unchainDossier(t.infra.sql, UNCHAINED.numeroAsp);
    console.info(
      `magasin ${t.infra.sql.kind} ; ${tampered.type} v2 falsifié : ${tampered.path.join('.')} « ${tampered.before} » → « ${tampered.after} »`,
    );
  });
  afterAll(() => t?.close());

  it('a clean dossier: « Chaîne intègre », up to its last version, with the signed checkpoint', async () => {
    expect(checkpointId).toBeDefined();
    const res = await journal(CLEAN.numeroAsp);
    expect(res.status).toBe(200);
    expect(stateOf(res.text)).toEqual(['integre']);
    const badge = badgeOf(res.text);
    const count = ids[CLEAN.numeroAsp]?.length ?? 0;
    expect(count).toBeGreaterThanOrEqual(3);
    expect(badge).toContain('<strong>Chaîne intègre</strong>');
    expect(badge).toContain(`les ${count} événements du dossier`);
    expect(badge).toContain(`jusqu’à la version ${count}`);
    expect(badge).toContain(`Dernier point de contrôle signé vérifié : n° ${checkpointId} du`);
    expect(badge).toContain('role="status"');
  });

  it('one character changed in SQL in an event’s data: « rompue », naming that very event', async () => {
    expect(tampered.before).not.toBe(tampered.after);
    const res = await journal(TAMPERED.numeroAsp);
    expect(res.status).toBe(200);
    expect(stateOf(res.text)).toEqual(['rompue']);
    const badge = badgeOf(res.text);
    expect(badge).toContain('role="alert"');
    expect(badge).toContain('Chaîne rompue');
    expect(badge).toContain(
      `l’événement version 2, type ${tampered.type}, identifiant <code>${tampered.eventId}</code>`,
    );
    expect(badge).toContain('Le contenu de cet événement a été modifié');
    // Only that event is named: none of the dossier's others.
    const others = (ids[TAMPERED.numeroAsp] ?? []).filter((id) => id !== tampered.eventId);
    expect(others.length).toBeGreaterThanOrEqual(2);
    for (const id of others) expect(badge).not.toContain(id);
    expect(badge).not.toContain('Chaîne intègre');
    // The break is this dossier's alone.
    expect(stateOf((await journal(CLEAN.numeroAsp)).text)).toEqual(['integre']);
  });

  it('events written before the chain: « non-chainee », and how to chain them', async () => {
    const res = await journal(UNCHAINED.numeroAsp);
    expect(res.status).toBe(200);
    expect(stateOf(res.text)).toEqual(['non-chainee']);
    const badge = badgeOf(res.text);
    expect(badge).toContain('écrits avant la chaîne de hachage');
    expect(badge).toContain(`<code>${ids[UNCHAINED.numeroAsp]?.[0]}</code>`);
    expect(badge).toContain('<code>npm run cli -- audit chain</code>');
    expect(badge).not.toMatch(/Chaîne intègre|Chaîne rompue/);
  });

  it('shown to whoever sees the journal (gestionnaire, assistance); still refused to the others', async () => {
    for (const role of ['gestionnaire', 'assistance']) {
      const res = await journal(TAMPERED.numeroAsp, role);
      expect({ role, status: res.status, states: stateOf(res.text) }).toEqual({
        role,
        status: 200,
        states: ['rompue'],
      });
    }
    // A fournisseur, even of this dossier's SIRET: the same French 403 as before, no badge.
    const fournisseur = await journal(TAMPERED.numeroAsp, 'fournisseur', TAMPERED.siret);
    expect(fournisseur.status).toBe(403);
    expect(fournisseur.text).toContain('Accès refusé');
    expect(fournisseur.text).not.toContain('data-integrite');
    expect(fournisseur.text).not.toContain(tampered.eventId);
    const anonymous = await t.http().get(`/dossiers/${TAMPERED.numeroAsp}/journal`);
    expect(anonymous.status).toBe(303);
    expect(anonymous.text).not.toContain('data-integrite');
  });
});
