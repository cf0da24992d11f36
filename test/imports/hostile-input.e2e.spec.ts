import { startImportTestApp, type ImportTestApp } from './support/import-test-app';
import {
  OFFICINE,
  avanceFile,
  avanceLine,
  enrol,
  paidAvance,
  pdf,
  postMultipart,
  soldeFile,
  soldeLine,
} from './support/import-fixtures';

// Whatever arrives, the answer is a problem+json or a report: never a crash, never half a file.
// Opening PGlite and Nest takes seconds on a shared machine.
jest.setTimeout(60_000);

describe('imports: hostile or broken input', () => {
  let t: ImportTestApp;
  let officine: string;

  beforeAll(async () => {
    // Small piece limit so the 413 case costs a few bytes, not 10 MiB.
    t = await startImportTestApp({ env: { PIECE_MAX_BYTES: '2048' } });
    officine = t.token('fournisseur', OFFICINE.siret);
    await enrol(t.http, t.token('assistance'), OFFICINE);
  });
  afterAll(() => t.close());

  const rawJson = (body: Buffer | string) =>
    t.http
      .post('/api/v1/imports/avance')
      .set('Authorization', `Bearer ${officine}`)
      .set('Content-Type', 'application/json')
      // Bytes as they are: superagent would otherwise serialise a Buffer as {"type":"Buffer",…}.
      .serialize((b: unknown) => b as string)
      .send(body);

  it('refuses truncated JSON with 400, in a JSON body and in a multipart part', async () => {
    const text = JSON.stringify(avanceFile([avanceLine(1)]));
    const body = await rawJson(text.slice(0, text.length - 10));
    expect(body.status).toBe(400);
    expect(body.headers['content-type']).toContain('application/problem+json');
    const part = await t.http
      .post('/api/v1/imports/avance')
      .set('Authorization', `Bearer ${officine}`)
      .attach('file', Buffer.from(text.slice(0, 30)), 'avance.json');
    expect(part.status).toBe(400);
    expect(part.body.code).toBe('JSON_INVALIDE');
  });

  it('refuses non-UTF-8 JSON with 400, in a JSON body and in a multipart part', async () => {
    const latin1 = Buffer.from(
      JSON.stringify(avanceFile([avanceLine(1, { contactSupport: 'hélène@editeur.example' })])),
      'latin1',
    );
    const body = await rawJson(latin1);
    expect(body.status).toBe(400);
    expect(body.body.code).toBe('ENCODAGE_INVALIDE');
    const part = await t.http
      .post('/api/v1/imports/avance')
      .set('Authorization', `Bearer ${officine}`)
      .attach('file', latin1, 'avance.json');
    expect(part.status).toBe(400);
    expect(part.body.code).toBe('ENCODAGE_INVALIDE');
  });

  it('makes __proto__ and constructor keys harmless: reported on their line, the other line applied', async () => {
    const text = JSON.stringify(avanceFile([avanceLine(1), avanceLine(2)])).replace(
      '"numLigne":2,',
      '"numLigne":2,"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},',
    );
    const r = await rawJson(text);
    expect(r.status).toBe(201);
    expect(r.body.lines[0].result).toBe('applied');
    expect(r.body.lines[1].result).toBe('rejected');
    expect(r.body.lines[1].errors.map((e: { code: string }) => e.code)).toContain('CHAMP_INCONNU');
  });

  it('refuses a file nested beyond the depth limit with 413, without a crash', async () => {
    const deep = `{"siret":"${OFFICINE.siret}","numeroAns":"${OFFICINE.numeroAns}","lignesImport":[${'['.repeat(5000)}${']'.repeat(5000)}]}`;
    const r = await t.http
      .post('/api/v1/imports/avance')
      .set('Authorization', `Bearer ${officine}`)
      .attach('file', Buffer.from(deep), 'avance.json');
    expect(r.status).toBe(413);
    expect(r.body.code).toBe('LIMITE_DEPASSEE');
  });

  it('refuses more than 100 000 lines with 413 before reading any line', async () => {
    const many = `{"siret":"${OFFICINE.siret}","numeroAns":"${OFFICINE.numeroAns}","lignesImport":[${'0,'.repeat(100_000)}0]}`;
    const r = await rawJson(many);
    expect(r.status).toBe(413);
    expect(r.body.code).toBe('LIMITE_DEPASSEE');
  });

  it('refuses a piece that is not a PDF with 415 and appends nothing', async () => {
    const before = await t.infra.store.headPosition();
    const line = avanceLine(1, {
      numeroEditeur: '00415',
      piecesJustificatives: [{ type: 'AUTRE_S', nomFichier: 'PJ.pdf' }],
    });
    const r = await postMultipart(t.http, '/api/v1/imports/avance', officine, avanceFile([line]), {
      'PJ.pdf': Buffer.from('MZ\x90\x00 not a pdf at all'),
    });
    expect(r.status).toBe(415);
    expect(r.body.code).toBe('TYPE_NON_SUPPORTE');
    expect(await t.infra.store.headPosition()).toEqual(before);
  });

  it('refuses a piece above the configured size with 413', async () => {
    const line = avanceLine(1, {
      numeroEditeur: '00413',
      piecesJustificatives: [{ type: 'AUTRE_S', nomFichier: 'PJ.pdf' }],
    });
    const big = Buffer.concat([pdf('big'), Buffer.alloc(4096, 0x20)]);
    const r = await postMultipart(t.http, '/api/v1/imports/avance', officine, avanceFile([line]), {
      'PJ.pdf': big,
    });
    expect(r.status).toBe(413);
  });

  it('refuses another media type with 415 and a non-object body with 400', async () => {
    const text = await t.http
      .post('/api/v1/imports/solde')
      .set('Authorization', `Bearer ${officine}`)
      .set('Content-Type', 'text/plain')
      .send('hello');
    expect(text.status).toBe(415);
    const array = await t.http
      .post('/api/v1/imports/solde')
      .set('Authorization', `Bearer ${officine}`)
      .send([soldeLine(1, 'FINPHA000001')]);
    expect(array.status).toBe(400);
  });

  it('rejects a Luhn-invalid FINESS and a 31/02 date on their avance line', async () => {
    const r = await t.http
      .post('/api/v1/imports/avance')
      .set('Authorization', `Bearer ${officine}`)
      .send(
        avanceFile([
          avanceLine(1, {
            beneficiaire: '620006495',
            bonDeCommande: { dateBonDeCommande: '31/02/2023', montantSegurHTBonDeCommande: 0 },
          }),
        ]),
      );
    expect(r.status).toBe(201);
    expect(r.body.status).toBe('rejected');
    expect(r.body.lines[0].numeroASP).toBeNull();
    expect(r.body.lines[0].errors.map((e: { code: string }) => e.code).sort()).toEqual(
      ['DATE_INVALIDE', 'FINESS_INVALIDE', 'MONTANT_INVALIDE'].sort(),
    );
  });

  it('keeps numéros ASP unique under concurrent imports', async () => {
    const files = Array.from({ length: 4 }, (_, f) =>
      avanceFile(Array.from({ length: 5 }, (_, i) => avanceLine(i + 1, { numeroEditeur: `C${f}${i}` }))),
    );
    const reports = await Promise.all(
      files.map((file) =>
        t.http.post('/api/v1/imports/avance').set('Authorization', `Bearer ${officine}`).send(file),
      ),
    );
    const numeros = reports.flatMap((r) =>
      (r.body.lines as Array<{ numeroASP: string }>).map((l) => l.numeroASP),
    );
    expect(numeros).toHaveLength(20);
    expect(new Set(numeros).size).toBe(20);
    // A dossier imported this way goes on normally.
    const numero = await paidAvance(
      t.http,
      { fournisseur: officine, gestionnaire: t.token('gestionnaire') },
      avanceLine(1, { numeroEditeur: 'P1' }),
    );
    const s = await postMultipart(
      t.http,
      '/api/v1/imports/solde',
      officine,
      soldeFile([soldeLine(1, numero)]),
      {},
    );
    expect(s.body.lines[0].errors[0].code).toBe('PIECE_FICHIER_MANQUANT');
  });
});
