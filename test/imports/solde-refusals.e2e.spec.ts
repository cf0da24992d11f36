import { startImportTestApp, couloirsClosed, type ImportTestApp } from './support/import-test-app';
import {
  AUTRE_PHA,
  FINESS_B,
  FINESS_C,
  OFFICINE,
  POULAT,
  avanceLine,
  enrol,
  paidAvance,
  postMultipart,
  soldeFile,
  soldeLine,
  soldePieces,
} from './support/import-fixtures';
import { loadDossier } from '@segur/commands';

const codesOf = (line: { errors: Array<{ code: string }> }): string[] => line.errors.map((e) => e.code);

// Each business refusal of docs/domain.md, reported on its line in a 201 report.
// Opening PGlite and Nest takes seconds on a shared machine.
jest.setTimeout(60_000);

describe('imports: solde business rules, line by line', () => {
  let t: ImportTestApp;
  let officine: string;
  let poulat: string;
  let autre: string;
  let assistance: string;
  let tokens: { fournisseur: string; gestionnaire: string };

  beforeAll(async () => {
    t = await startImportTestApp();
    officine = t.token('fournisseur', OFFICINE.siret);
    poulat = t.token('fournisseur', POULAT.siret);
    autre = t.token('fournisseur', AUTRE_PHA.siret);
    assistance = t.token('assistance');
    tokens = { fournisseur: officine, gestionnaire: t.token('gestionnaire') };
    await enrol(t.http, assistance, OFFICINE);
    await enrol(t.http, assistance, POULAT);
    await enrol(t.http, assistance, AUTRE_PHA);
  });
  afterAll(() => t.close());

  const solde = (token: string, lines: unknown[], who: { siret: string; numeroAns: string } = OFFICINE) =>
    postMultipart(t.http, '/api/v1/imports/solde', token, soldeFile(lines, who), soldePieces());

  it('refuses a solde before the avance is paid (AVANCE_NON_PAYEE)', async () => {
    const numero = await paidAvance(
      t.http,
      tokens,
      avanceLine(1, { beneficiaire: FINESS_C }),
      OFFICINE,
      false,
    );
    const r = await solde(officine, [soldeLine(1, numero, { beneficiaire: FINESS_C })]);
    expect(r.status).toBe(201);
    expect(r.body.status).toBe('rejected');
    expect(r.body.lines[0]).toMatchObject({ numLigne: 1, numeroASP: numero, result: 'rejected' });
    expect(codesOf(r.body.lines[0])).toEqual(['AVANCE_NON_PAYEE']);
  });

  it('hides another SIRET’s dossier from a fournisseur (AVANCE_INCONNUE) and names it to assistance', async () => {
    const numero = await paidAvance(t.http, tokens);
    const fournisseur = await solde(autre, [soldeLine(1, numero)], AUTRE_PHA);
    expect(codesOf(fournisseur.body.lines[0])).toEqual(['AVANCE_INCONNUE']);
    expect(fournisseur.body.lines[0].errors[0].message).not.toContain(OFFICINE.siret);
    const support = await solde(assistance, [soldeLine(1, numero)], AUTRE_PHA);
    expect(codesOf(support.body.lines[0])).toEqual(['SIRET_DIFFERENT_AVANCE']);
  });

  it('refuses a solde without its VA (PIECE_OBLIGATOIRE_MANQUANTE)', async () => {
    const numero = await paidAvance(t.http, tokens, avanceLine(1, { numeroEditeur: '00002' }));
    const r = await postMultipart(
      t.http,
      '/api/v1/imports/solde',
      officine,
      soldeFile([
        soldeLine(1, numero, {
          piecesJustificatives: [{ type: 'FACTURE', nomFichier: 'FACTURE-00001.pdf' }],
        }),
      ]),
      soldePieces(),
    );
    expect(codesOf(r.body.lines[0])).toEqual(['PIECE_OBLIGATOIRE_MANQUANTE']);
  });

  it('records then auto-rejects a solde whose beneficiary is absent from the avance', async () => {
    const numero = await paidAvance(t.http, tokens, avanceLine(1, { numeroEditeur: '00003' }));
    const r = await solde(officine, [soldeLine(1, numero, { beneficiaire: FINESS_B })]);
    expect(r.body.status).toBe('accepted');
    expect(r.body.lines[0]).toMatchObject({ result: 'autoRejected', numeroASP: numero });
    expect(codesOf(r.body.lines[0])).toEqual(['BENEFICIAIRE_ABSENT_AVANCE']);
    const { events } = await loadDossier(t.infra.store, t.infra.decider, numero);
    expect(events.map((e) => e.type)).toEqual([
      'AvanceImported',
      'AvancePaymentRecorded',
      'SoldeImported',
      'SoldeAutoRejected',
    ]);
  });

  it('accepts the A → B case with beneficiaireHistorique', async () => {
    const numero = await paidAvance(t.http, tokens, avanceLine(1, { numeroEditeur: '00004' }));
    const r = await solde(officine, [
      soldeLine(1, numero, { beneficiaire: FINESS_B, beneficiaireHistorique: OFFICINE.finess }),
    ]);
    expect(r.body.lines[0]).toMatchObject({ result: 'applied', errors: [] });
  });

  it('reports every format error of a line, and keeps valid lines of the same file', async () => {
    const numero = await paidAvance(t.http, tokens, avanceLine(1, { numeroEditeur: '00005' }));
    const r = await solde(officine, [
      soldeLine(1, numero),
      soldeLine(2, 'FINPHA00000X', {
        beneficiaire: '620006495',
        facture: { dateFacture: '31/02/2023', montantSegurHTFacture: 10.555 },
        couleur: 'bleu',
      }),
      soldeLine(3, numero, { facture: { dateFacture: '15/05/2022', montantSegurHTFacture: -5 } }),
    ]);
    expect(r.status).toBe(201);
    expect(r.body.status).toBe('partial');
    expect(r.body.lines[0]).toMatchObject({ numLigne: 1, result: 'applied' });
    const bad = r.body.lines[1];
    expect(bad).toMatchObject({ numLigne: 2, result: 'rejected' });
    expect(codesOf(bad).sort()).toEqual(
      ['CHAMP_INCONNU', 'DATE_INVALIDE', 'FINESS_INVALIDE', 'MONTANT_INVALIDE', 'NUMERO_ASP_INVALIDE'].sort(),
    );
    const paths = bad.errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(
      expect.arrayContaining(['lignesImport[1].facture.dateFacture', 'lignesImport[1].beneficiaire']),
    );
    for (const e of bad.errors) expect(e.message).toMatch(/\S/);
    expect(codesOf(r.body.lines[2])).toEqual(['MONTANT_INVALIDE']);
  });

  it('refuses a file whose header SIRET fails Luhn with 400 SIRET_INVALIDE', async () => {
    const r = await t.http
      .post('/api/v1/imports/solde')
      .set('Authorization', `Bearer ${assistance}`)
      .send(
        soldeFile([soldeLine(1, 'FINPHA000001')], { siret: '80125271900416', numeroAns: OFFICINE.numeroAns }),
      );
    expect(r.status).toBe(400);
    expect(r.body.code).toBe('SIRET_INVALIDE');
    expect(r.headers['content-type']).toContain('application/problem+json');
  });

  it('answers 401 without a token and 403 for another SIRET’s token or a back-office role', async () => {
    const file = soldeFile([soldeLine(1, 'FINPHA000001')]);
    expect((await t.http.post('/api/v1/imports/solde').send(file)).status).toBe(401);
    const other = await t.http
      .post('/api/v1/imports/solde')
      .set('Authorization', `Bearer ${poulat}`)
      .send(file);
    expect(other.status).toBe(403);
    const gestionnaire = await t.http
      .post('/api/v1/imports/solde')
      .set('Authorization', `Bearer ${tokens.gestionnaire}`)
      .send(file);
    expect(gestionnaire.status).toBe(403);
  });
});

describe('imports: after the couloir’s closing date', () => {
  let t: ImportTestApp;

  beforeAll(async () => {
    t = await startImportTestApp({ couloirs: couloirsClosed() });
    await enrol(t.http, t.token('assistance'), OFFICINE);
  });
  afterAll(() => t.close());

  it('refuses the solde (DATE_CLOTURE_DEPASSEE)', async () => {
    const officine = t.token('fournisseur', OFFICINE.siret);
    const numero = await paidAvance(t.http, { fournisseur: officine, gestionnaire: t.token('gestionnaire') });
    const r = await postMultipart(
      t.http,
      '/api/v1/imports/solde',
      officine,
      soldeFile([soldeLine(1, numero)]),
      soldePieces(),
    );
    expect(r.status).toBe(201);
    expect(codesOf(r.body.lines[0])).toEqual(['DATE_CLOTURE_DEPASSEE']);
  });
});
