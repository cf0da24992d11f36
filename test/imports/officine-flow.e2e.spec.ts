import { startImportTestApp, type ImportTestApp } from './support/import-test-app';
import {
  OFFICINE,
  POULAT,
  SOLDE_PIECES,
  avanceFile,
  avanceLine,
  enrol,
  enrolment,
  pdf,
  postMultipart,
  soldeFile,
  soldeLine,
  soldePieces,
} from './support/import-fixtures';
import { loadDossier } from '@segur/commands';

// The Officine webinar's flow (FINPHA004979-style): enrol → avance import (numéro ASP assigned)
// → avance paid by a gestionnaire → solde with its VA and invoice in multipart → applied.
// Opening PGlite and Nest takes seconds on a shared machine.
jest.setTimeout(60_000);

describe('imports: the Officine flow over HTTP', () => {
  let t: ImportTestApp;
  let officine: string;
  let assistance: string;
  let gestionnaire: string;

  const eventCount = async (): Promise<number> => {
    let n = 0;
    let after: string | null = null;
    for (;;) {
      const page = await t.infra.store.readAll({ after, limit: 1000 });
      n += page.events.length;
      if (page.events.length < 1000) return n;
      after = page.cursor;
    }
  };

  beforeAll(async () => {
    t = await startImportTestApp();
    officine = t.token('fournisseur', OFFICINE.siret);
    assistance = t.token('assistance');
    gestionnaire = t.token('gestionnaire');
  });
  afterAll(() => t.close());

  it('refuses an import from a fournisseur not yet enrolled (422 FOURNISSEUR_INCONNU)', async () => {
    const r = await t.http
      .post('/api/v1/imports/avance')
      .set('Authorization', `Bearer ${officine}`)
      .send(avanceFile([avanceLine(1)]));
    expect(r.status).toBe(422);
    expect(r.body.code).toBe('FOURNISSEUR_INCONNU');
  });

  it('enrols the fournisseur (assistance) and shows the IBAN masked to others', async () => {
    await enrol(t.http, assistance, OFFICINE);
    const own = await t.http
      .get(`/api/v1/fournisseurs/${OFFICINE.siret}`)
      .set('Authorization', `Bearer ${officine}`);
    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({
      siret: OFFICINE.siret,
      numeroAns: OFFICINE.numeroAns,
      ibanMasque: true,
    });
    expect(String(own.body.iban).replace(/ /g, '')).toMatch(/^\*{23}0189$/);
    const full = await t.http
      .get(`/api/v1/fournisseurs/${OFFICINE.siret}`)
      .set('Authorization', `Bearer ${assistance}`);
    expect(full.body.iban).toBe('FR7630006000011234567890189');
    const other = await t.http
      .get(`/api/v1/fournisseurs/${OFFICINE.siret}`)
      .set('Authorization', `Bearer ${t.token('fournisseur', POULAT.siret)}`);
    expect(other.status).toBe(404);
  });

  it('refuses an enrolment with a bad IBAN, BIC or SIRET, naming each', async () => {
    const bad = await t.http
      .put(`/api/v1/fournisseurs/${OFFICINE.siret}`)
      .set('Authorization', `Bearer ${assistance}`)
      .send({ ...enrolment(OFFICINE.numeroAns), iban: 'FR7630006000011234567890188', bic: 'BNP' });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('IBAN_INVALIDE');
    expect(bad.body.errors.map((e: { code: string }) => e.code)).toEqual(['IBAN_INVALIDE', 'BIC_INVALIDE']);
    const siret = await t.http
      .put('/api/v1/fournisseurs/80125271900416')
      .set('Authorization', `Bearer ${assistance}`)
      .send(enrolment(OFFICINE.numeroAns));
    expect(siret.body.code).toBe('SIRET_INVALIDE');
    const notAssistance = await t.http
      .put(`/api/v1/fournisseurs/${OFFICINE.siret}`)
      .set('Authorization', `Bearer ${gestionnaire}`)
      .send(enrolment(OFFICINE.numeroAns));
    expect(notAssistance.status).toBe(403);
  });

  let numero = '';
  let soldeImportId = '';

  it('imports the avance, assigns a numéro ASP and serves the report again', async () => {
    const r = await postMultipart(
      t.http,
      '/api/v1/imports/avance',
      officine,
      avanceFile([
        avanceLine(1, { piecesJustificatives: [{ type: 'AUTRE_S', nomFichier: 'PJ_Demande.pdf' }] }),
      ]),
      { 'PJ_Demande.pdf': pdf('demande') },
    );
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ kind: 'avance', status: 'accepted' });
    expect(r.body.fileSha256).toMatch(/^[0-9a-f]{64}$/);
    const line = r.body.lines[0];
    expect(line).toMatchObject({ numLigne: 1, result: 'applied', errors: [] });
    expect(line.numeroASP).toMatch(/^FINPHA\d{6}$/);
    numero = line.numeroASP as string;
    const again = await t.http
      .get(`/api/v1/imports/${r.body.importId}`)
      .set('Authorization', `Bearer ${officine}`);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(r.body);
    const foreign = await t.http
      .get(`/api/v1/imports/${r.body.importId}`)
      .set('Authorization', `Bearer ${t.token('fournisseur', POULAT.siret)}`);
    expect(foreign.status).toBe(404);
  });

  it('gives a re-sent avance line its original numéro ASP (unchanged, duplicate) and a new one the next number', async () => {
    const before = await eventCount();
    const again = await t.http
      .post('/api/v1/imports/avance')
      .set('Authorization', `Bearer ${officine}`)
      .send(
        avanceFile([
          avanceLine(7, { piecesJustificatives: [{ type: 'AUTRE_S', nomFichier: 'PJ_Demande.pdf' }] }),
        ]),
      );
    // Declared piece not sent: the line is refused with its own code, the rest of the file is not.
    expect(again.body.lines[0]).toMatchObject({ result: 'rejected' });
    expect(again.body.lines[0].errors[0]).toMatchObject({
      code: 'PIECE_FICHIER_MANQUANT',
      path: 'lignesImport[0].piecesJustificatives[0].nomFichier',
    });
    const dup = await postMultipart(
      t.http,
      '/api/v1/imports/avance',
      officine,
      avanceFile([
        avanceLine(7, { piecesJustificatives: [{ type: 'AUTRE_S', nomFichier: 'PJ_Demande.pdf' }] }),
      ]),
      { 'PJ_Demande.pdf': pdf('demande') },
    );
    expect(dup.status).toBe(201);
    expect(dup.body.status).toBe('duplicate');
    expect(dup.body.lines[0]).toMatchObject({ numeroASP: numero, result: 'unchanged' });
    expect(await eventCount()).toBe(before);
    const next = await t.http
      .post('/api/v1/imports/avance')
      .set('Authorization', `Bearer ${officine}`)
      .send(avanceFile([avanceLine(1, { beneficiaire: '620000018' })]));
    expect(next.body.lines[0].numeroASP).toBe(
      `FINPHA${String(Number(numero.slice(6)) + 1).padStart(6, '0')}`,
    );
  });

  it('applies the solde with its VA and invoice once the avance is paid, and serves the pieces', async () => {
    const pay = await t.http
      .post(`/api/v1/dossiers/${numero}/avance/paiement`)
      .set('Authorization', `Bearer ${gestionnaire}`)
      .send({});
    expect(pay.status).toBe(200);
    const r = await postMultipart(
      t.http,
      '/api/v1/imports/solde',
      officine,
      soldeFile([soldeLine(1, numero)]),
      soldePieces(),
    );
    expect(r.status).toBe(201);
    expect(r.body.status).toBe('accepted');
    expect(r.body.lines).toEqual([{ numLigne: 1, numeroASP: numero, result: 'applied', errors: [] }]);
    soldeImportId = r.body.importId as string;

    const { events } = await loadDossier(t.infra.store, t.infra.decider, numero);
    const solde = events.find((e) => e.type === 'SoldeImported');
    const pieces = (
      solde?.data as {
        pieces: Array<{ pieceId: string; type: string; nomFichier: string; taille: number; sha256: string }>;
      }
    ).pieces;
    expect(pieces.map((p) => p.type)).toEqual(SOLDE_PIECES.map((p) => p.type));
    const va = pieces[0];
    expect(va?.pieceId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7/);
    expect(va?.sha256).toMatch(/^[0-9a-f]{64}$/);

    const file = await t.http
      .get(`/api/v1/dossiers/${numero}/pieces/${va?.pieceId}`)
      .set('Authorization', `Bearer ${officine}`)
      .buffer(true)
      .parse((res, cb) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => cb(null, Buffer.concat(chunks)));
      });
    expect(file.status).toBe(200);
    expect(file.headers['content-type']).toBe('application/pdf');
    expect(file.headers['content-disposition']).toContain('PHA-LGO-Va1-VA-00001.pdf');
    expect((file.body as Buffer).equals(pdf('VA'))).toBe(true);
    const foreign = await t.http
      .get(`/api/v1/dossiers/${numero}/pieces/${va?.pieceId}`)
      .set('Authorization', `Bearer ${t.token('fournisseur', POULAT.siret)}`);
    expect(foreign.status).toBe(404);
    const auditeur = await t.http
      .get(`/api/v1/dossiers/${numero}/pieces/${va?.pieceId}`)
      .set('Authorization', `Bearer ${t.token('auditeur')}`);
    expect(auditeur.status).toBe(200);
  });

  it('reports the same solde file again as duplicate and appends nothing', async () => {
    const before = await eventCount();
    const r = await postMultipart(
      t.http,
      '/api/v1/imports/solde',
      officine,
      soldeFile([soldeLine(1, numero)]),
      soldePieces(),
    );
    expect(r.status).toBe(201);
    expect(r.body.status).toBe('duplicate');
    expect(r.body.importId).not.toBe(soldeImportId);
    expect(r.body.lines[0]).toMatchObject({ result: 'unchanged', numeroASP: numero });
    expect(await eventCount()).toBe(before);
    const changed = await postMultipart(
      t.http,
      '/api/v1/imports/solde',
      officine,
      soldeFile([
        soldeLine(1, numero, { facture: { dateFacture: '15/05/2022', montantSegurHTFacture: 1200 } }),
      ]),
      soldePieces(),
    );
    expect(changed.body.status).toBe('rejected');
    expect(changed.body.lines[0].errors[0].code).toBe('SOLDE_DEJA_DEPOSE');
    expect(await eventCount()).toBe(before);
  });

  it('answers a replayed Idempotency-Key with the first answer', async () => {
    const send = () =>
      t.http
        .post('/api/v1/imports/avance')
        .set('Authorization', `Bearer ${officine}`)
        .set('Idempotency-Key', 'avance-2024-01')
        .send(avanceFile([avanceLine(1, { beneficiaire: '620000026' })]));
    const first = await send();
    const second = await send();
    expect(second.status).toBe(201);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.body).toEqual(first.body);
  });
});
