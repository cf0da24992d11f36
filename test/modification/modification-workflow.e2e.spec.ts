import { startTestApp, pdf, type TestApp } from '../support/test-app';
import { GARAGE_POULAT, eventCount, seedSoldeEnCours } from '../support/seed-dossiers';
import { loadDossier } from '@segur/commands';

const N = GARAGE_POULAT.numeroAsp;
const base = `/api/v1/dossiers/${N}`;

describe('Modification workflow over HTTP — the GARAGE POULAT story (SAS guide)', () => {
  let t: TestApp;
  let gestionnaire: string;
  let fournisseur: string;
  let autreFournisseur: string;
  let assistance: string;
  let preExistingPieceId: string;

  beforeAll(async () => {
    t = await startTestApp();
    gestionnaire = t.token('gestionnaire');
    fournisseur = t.token('fournisseur', GARAGE_POULAT.siret);
    autreFournisseur = t.token('fournisseur', '80125271900415');
    assistance = t.token('assistance');
    const seeded = await seedSoldeEnCours(t.infra);
    preExistingPieceId = seeded.pieces[0]!.pieceId;
  });
  afterAll(() => t.close());

  /** A refused command must append nothing. */
  const refusedWithoutEvents = async (
    run: () => Promise<{ status: number; body: { code?: string } }>,
    status: number,
    code: string,
  ) => {
    const before = await eventCount(t.infra, N);
    const res = await run();
    expect({ status: res.status, code: res.body.code }).toEqual({ status, code });
    expect(await eventCount(t.infra, N)).toBe(before);
  };

  it('refuses a request for modification without a token (401) or from a fournisseur (403)', async () => {
    await refusedWithoutEvents(
      () => t.http().post(`${base}/modification`).send({ commentaire: 'x' }),
      401,
      'NON_AUTHENTIFIE',
    );
    await refusedWithoutEvents(
      () =>
        t
          .http()
          .post(`${base}/modification`)
          .auth(fournisseur, { type: 'bearer' })
          .send({ commentaire: 'x' }),
      403,
      'ACCES_REFUSE',
    );
  });

  it('refuses a request for modification without a comment', async () => {
    await refusedWithoutEvents(
      () =>
        t
          .http()
          .post(`${base}/modification`)
          .auth(gestionnaire, { type: 'bearer' })
          .send({ commentaire: '   ' }),
      400,
      'COMMENTAIRE_OBLIGATOIRE',
    );
  });

  it('refuses a draft edit while the dossier is EN_COURS (409 STATUT_INCOMPATIBLE)', async () => {
    await refusedWithoutEvents(
      () =>
        t
          .http()
          .patch(`${base}/modification`)
          .auth(fournisseur, { type: 'bearer' })
          .send({ contactSupport: 'a@b.fr' }),
      409,
      'STATUT_INCOMPATIBLE',
    );
  });

  it('the gestionnaire asks for a modification ("test modif") → A_MODIFIER, version M1', async () => {
    const res = await t
      .http()
      .post(`${base}/modification`)
      .auth(gestionnaire, { type: 'bearer' })
      .set('X-Correlation-Id', 'corr-test-modif')
      .send({ commentaire: 'test modif' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      numeroAsp: N,
      statut: 'A_MODIFIER',
      statutLibelle: 'A modifier',
      version: 'M1',
    });
    expect(res.headers.etag).toBe(`"${res.body.streamVersion}"`);
    expect(res.headers['x-position']).toBe(res.body.position);
    expect(res.headers['x-correlation-id']).toBe('corr-test-modif');
    const events = await t.infra.store.readStream(`dossier-${N}`);
    const last = events.at(-1)!;
    expect(last.type).toBe('ModificationRequested');
    expect(last.metadata).toMatchObject({
      actor: { id: 'gestionnaire-bo', role: 'gestionnaire' },
      correlationId: 'corr-test-modif',
    });
    expect(last.metadata.causationId).toEqual(expect.any(String));
    expect(last.metadata.commandId).toEqual(expect.any(String));
  });

  it('a second request while A_MODIFIER is refused (409)', async () => {
    await refusedWithoutEvents(
      () =>
        t
          .http()
          .post(`${base}/modification`)
          .auth(gestionnaire, { type: 'bearer' })
          .send({ commentaire: 'encore' }),
      409,
      'STATUT_INCOMPATIBLE',
    );
  });

  it('another fournisseur gets 404 and learns nothing', async () => {
    const before = await eventCount(t.infra, N);
    const res = await t
      .http()
      .patch(`${base}/modification`)
      .auth(autreFournisseur, { type: 'bearer' })
      .send({ contactSupport: 'x@y.fr' });
    expect(res.status).toBe(404);
    expect(JSON.stringify(res.body)).not.toContain(GARAGE_POULAT.siret);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(await eventCount(t.infra, N)).toBe(before);
  });

  it('an invalid contact is refused when entered (400), nothing stored', async () => {
    await refusedWithoutEvents(
      () =>
        t
          .http()
          .patch(`${base}/modification`)
          .auth(fournisseur, { type: 'bearer' })
          .send({ contactSupport: 'pas un contact' }),
      400,
      'CHAMP_INVALIDE',
    );
    await refusedWithoutEvents(
      () =>
        t
          .http()
          .patch(`${base}/modification`)
          .auth(fournisseur, { type: 'bearer' })
          .send({ contactSupport: 'http://support.example.com' }),
      400,
      'CHAMP_INVALIDE',
    );
  });

  it('a field that is not editable in the couloir is refused (422 CHAMP_NON_MODIFIABLE)', async () => {
    await refusedWithoutEvents(
      () =>
        t
          .http()
          .patch(`${base}/modification`)
          .auth(fournisseur, { type: 'bearer' })
          .send({ beneficiaire: '620006494' }),
      422,
      'CHAMP_NON_MODIFIABLE',
    );
  });

  it('the fournisseur changes the contact to test123@gmail.com', async () => {
    const res = await t
      .http()
      .patch(`${base}/modification`)
      .auth(fournisseur, { type: 'bearer' })
      .send({ contactSupport: 'test123@gmail.com' });
    expect(res.status).toBe(200);
    expect(res.body.statut).toBe('A_MODIFIER');
  });

  it('adds a PDF piece (201) and removes it (204); a non-PDF is refused (415)', async () => {
    await refusedWithoutEvents(
      () =>
        t
          .http()
          .post(`${base}/modification/pieces`)
          .auth(fournisseur, { type: 'bearer' })
          .field('type', 'AUTRE_S')
          .attach('file', Buffer.from('not a pdf at all'), 'faux.pdf'),
      415,
      'TYPE_NON_SUPPORTE',
    );
    const added = await t
      .http()
      .post(`${base}/modification/pieces`)
      .auth(fournisseur, { type: 'bearer' })
      .field('type', 'AUTRE_S')
      .attach('file', pdf('ajout'), 'complement.pdf');
    expect(added.status).toBe(201);
    expect(added.body.pieceId).toEqual(expect.any(String));
    const removed = await t
      .http()
      .delete(`${base}/modification/pieces/${added.body.pieceId}`)
      .auth(fournisseur, { type: 'bearer' });
    expect(removed.status).toBe(204);
  });

  it('refuses to delete a piece that existed before the draft (409 PIECE_NON_SUPPRIMABLE)', async () => {
    await refusedWithoutEvents(
      () =>
        t
          .http()
          .delete(`${base}/modification/pieces/${preExistingPieceId}`)
          .auth(fournisseur, { type: 'bearer' }),
      409,
      'PIECE_NON_SUPPRIMABLE',
    );
  });

  it('keeps a piece added and confirms: two racing "Confirmer" → exactly one wins', async () => {
    const added = await t
      .http()
      .post(`${base}/modification/pieces`)
      .auth(fournisseur, { type: 'bearer' })
      .field('type', 'AUTRE_S')
      .attach('file', pdf('garde'), 'complement-final.pdf');
    expect(added.status).toBe(201);
    const [a, b] = await Promise.all([
      t.http().post(`${base}/modification/submit`).auth(fournisseur, { type: 'bearer' }),
      t.http().post(`${base}/modification/submit`).auth(fournisseur, { type: 'bearer' }),
    ]);
    const statuses = [a.status, b.status].sort();
    expect(statuses).toEqual([200, 409]);
    const loser = a.status === 409 ? a : b;
    expect(['STATUT_INCOMPATIBLE', 'CONFLIT_VERSION']).toContain(loser.body.code);
    const winner = a.status === 200 ? a : b;
    expect(winner.body).toMatchObject({ statut: 'EN_COURS', version: 'M1' });
    const events = await t.infra.store.readStream(`dossier-${N}`);
    expect(events.filter((e) => e.type === 'ModificationSubmitted')).toHaveLength(1);
    const submitted = events.find((e) => e.type === 'ModificationSubmitted')!.data as { changes: unknown[] };
    expect(submitted.changes).toEqual([
      { field: 'contactSupport', from: GARAGE_POULAT.contact, to: 'test123@gmail.com' },
    ]);
  });

  it('commands in the wrong status are refused: submit or decline while EN_COURS', async () => {
    await refusedWithoutEvents(
      () => t.http().post(`${base}/modification/submit`).auth(fournisseur, { type: 'bearer' }),
      409,
      'STATUT_INCOMPATIBLE',
    );
    await refusedWithoutEvents(
      () => t.http().post(`${base}/modification/decline`).auth(fournisseur, { type: 'bearer' }),
      409,
      'STATUT_INCOMPATIBLE',
    );
  });

  it('a second round is declined ("Ne pas modifier") by assistance → EN_COURS, draft discarded', async () => {
    const req = await t
      .http()
      .post(`${base}/modification`)
      .auth(gestionnaire, { type: 'bearer' })
      .send({ commentaire: 'VA illisible' });
    expect(req.body.version).toBe('M2');
    await t
      .http()
      .patch(`${base}/modification`)
      .auth(fournisseur, { type: 'bearer' })
      .send({ contactSupport: 'https://support.example.com' });
    const declined = await t.http().post(`${base}/modification/decline`).auth(assistance, { type: 'bearer' });
    expect(declined.status).toBe(200);
    expect(declined.body).toMatchObject({ statut: 'EN_COURS', version: 'M1' });
    const { state } = await loadDossier(t.infra.store, t.infra.decider, N);
    expect(state.champs.contactSupport).toBe('test123@gmail.com');
  });

  it('a stale If-Match is refused with 412 and the current ETag', async () => {
    const res = await t
      .http()
      .post(`${base}/validation`)
      .auth(gestionnaire, { type: 'bearer' })
      .set('If-Match', '"1"')
      .send({});
    expect(res.status).toBe(412);
    expect(res.body.code).toBe('CONFLIT_VERSION');
    expect(res.headers.etag).toMatch(/^"\d+"$/);
  });

  it('validates without décision modificative (same total and perimeter): 100000,00 / 70000,00', async () => {
    const version = await eventCount(t.infra, N);
    const res = await t
      .http()
      .post(`${base}/validation`)
      .auth(gestionnaire, { type: 'bearer' })
      .set('If-Match', `"${version}"`)
      .set('Idempotency-Key', 'valider-FINSAS008539')
      .send({});
    expect(res.status).toBe(200);
    expect(res.body.statut).toBe('VALIDEE');
    expect(res.body.decision).toMatchObject({
      engagementRetenuCents: 10_000_000,
      soldeDecideCents: 7_000_000,
      decisionModificative: null,
    });
    // The same request again is answered the same, and appends nothing.
    const before = await eventCount(t.infra, N);
    const again = await t
      .http()
      .post(`${base}/validation`)
      .auth(gestionnaire, { type: 'bearer' })
      .set('If-Match', `"${version}"`)
      .set('Idempotency-Key', 'valider-FINSAS008539')
      .send({});
    expect(again.status).toBe(200);
    expect(again.body).toEqual(res.body);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(await eventCount(t.infra, N)).toBe(before);
  });

  it('records the solde payment, then a recovery order', async () => {
    const paid = await t
      .http()
      .post(`${base}/solde/paiement`)
      .auth(gestionnaire, { type: 'bearer' })
      .send({ datePaiement: '15/09/2023' });
    expect(paid.status).toBe(200);
    expect(paid.body.statut).toBe('PAIEMENT_EFFECTUE');
    await refusedWithoutEvents(
      () => t.http().post(`${base}/solde/paiement`).auth(gestionnaire, { type: 'bearer' }).send({}),
      409,
      'STATUT_INCOMPATIBLE',
    );
    const recovery = await t
      .http()
      .post(`${base}/recouvrement`)
      .auth(gestionnaire, { type: 'bearer' })
      .send({ montant: 1500.5, motif: 'Contrôle a posteriori : VA non signée' });
    expect(recovery.status).toBe(200);
    const events = await t.infra.store.readStream(`dossier-${N}`);
    expect(events.at(-1)).toMatchObject({ type: 'RecoveryOrderIssued', data: { montantCents: 150_050 } });
  });

  it('serves the audit trail to the back office only', async () => {
    const res = await t.http().get(`${base}/events`).auth(assistance, { type: 'bearer' });
    expect(res.status).toBe(200);
    expect(res.body.events.map((e: { type: string }) => e.type)).toContain('ModificationSubmitted');
    const filtered = await t
      .http()
      .get(`${base}/events?types=ModificationRequested`)
      .auth(gestionnaire, { type: 'bearer' });
    expect(filtered.body.events).toHaveLength(2);
    expect((await t.http().get(`${base}/events`).auth(fournisseur, { type: 'bearer' })).status).toBe(403);
  });

  it('a malformed numéro ASP is a 400', async () => {
    const res = await t
      .http()
      .post('/api/v1/dossiers/NOPE/modification')
      .auth(gestionnaire, { type: 'bearer' })
      .send({ commentaire: 'x' });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('NUMERO_ASP_INVALIDE');
  });
});

describe('Gestionnaire decisions on other dossiers', () => {
  let t: TestApp;
  let gestionnaire: string;
  beforeAll(async () => {
    t = await startTestApp();
    gestionnaire = t.token('gestionnaire');
  });
  afterAll(() => t.close());

  it('validates with a décision modificative when a site A became B (revised total)', async () => {
    const { numeroAsp } = await seedSoldeEnCours(t.infra, {
      numeroAsp: 'FINPHA004979',
      siret: '80125271900415',
      numeroAns: 'zbuPHA0005',
      montantAvanceCents: 100_000,
      montantSoldeCents: 90_000,
      beneficiaireAvance: '620006494',
      beneficiaireSolde: '750712184',
      beneficiaireHistorique: '620006494',
    });
    const res = await t
      .http()
      .post(`/api/v1/dossiers/${numeroAsp}/validation`)
      .auth(gestionnaire, { type: 'bearer' })
      .send({});
    expect(res.status).toBe(200);
    expect(res.body.decision.decisionModificative).not.toBeNull();
    expect(res.body.decision.decisionModificative.differences.length).toBeGreaterThan(0);
  });

  it('rejects a solde with a motif; a missing motif is refused', async () => {
    const { numeroAsp } = await seedSoldeEnCours(t.infra, { numeroAsp: 'FINSAS000777' });
    const before = await eventCount(t.infra, numeroAsp);
    const bad = await t
      .http()
      .post(`/api/v1/dossiers/${numeroAsp}/rejet`)
      .auth(gestionnaire, { type: 'bearer' })
      .send({});
    expect(bad.status).toBe(400);
    expect(await eventCount(t.infra, numeroAsp)).toBe(before);
    const res = await t
      .http()
      .post(`/api/v1/dossiers/${numeroAsp}/rejet`)
      .auth(gestionnaire, { type: 'bearer' })
      .send({ motif: 'Facture non conforme' });
    expect(res.status).toBe(200);
    expect(res.body.statut).toBe('REJETEE');
  });
});
