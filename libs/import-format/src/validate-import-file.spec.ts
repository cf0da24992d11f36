import { type ImportError } from './import-error';
import {
  type AvanceLineData,
  type LineResult,
  type SoldeLineData,
  validateImportFile,
} from './validate-import-file';
import { avanceSeed, soldeSeed, soldeWithPieces } from './testing/seed-import-files';
import { contentHash } from './content-hash';

const line = (file: { lignesImport: Array<Record<string, unknown>> }, i = 0) => file.lignesImport[i]!;

const lineErrors = <D>(lines: LineResult<D>[], i = 0): ImportError[] => {
  const l = lines[i]!;
  if (l.ok) throw new Error(`ligne ${i} acceptée`);
  return l.errors;
};

function validLines(kind: 'avance', body: unknown): LineResult<AvanceLineData>[];
function validLines(kind: 'solde', body: unknown): LineResult<SoldeLineData>[];
function validLines(kind: 'avance' | 'solde', body: unknown): LineResult<AvanceLineData | SoldeLineData>[] {
  const r = validateImportFile(kind, body);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.lines;
}

describe('validateImportFile: the seeds', () => {
  it("accepts GARAGE POULAT's avance and gives the ImportAvance data", () => {
    const r = validateImportFile('avance', avanceSeed());
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.header).toEqual({
      siret: '79256844600019',
      numeroAns: 'pbrSAS0012',
      couloir: 'SAS',
      impId: null,
    });
    const l = r.lines[0]!;
    expect(l).toEqual(
      expect.objectContaining({
        ok: true,
        index: 0,
        numLigne: 1,
        numeroASP: null,
        declaredPieces: [{ type: 'AUTRE_S', nomFichier: 'PJ_Demande.pdf' }],
      }),
    );
    if (!l.ok) return;
    expect(l.data).toEqual({
      couloir: 'SAS',
      numeroAns: 'pbrSAS0012',
      siret: '79256844600019',
      numLigne: 1,
      numeroEditeur: '00001',
      bonDeCommande: { dateBonDeCommande: '2023-01-10', montantCents: 10_000_000 },
      beneficiaire: '620006494',
      contactSupport: 'pascal.breton@axyus.com',
      contentHash: l.contentHash,
    });
  });

  it('accepts the Officine solde FINPHA004979 and gives the ImportSolde data', () => {
    const lines = validLines('solde', soldeSeed());
    const l = lines[0]!;
    expect(l.ok && l.data).toEqual({
      numeroAsp: 'FINPHA004979',
      siret: '80125271900415',
      numeroAns: 'zbuPHA0005',
      numLigne: 1,
      numeroEditeur: '00001',
      facture: { dateFacture: '2022-05-15', montantCents: 100_000 },
      beneficiaire: '620006494',
      beneficiaireHistorique: null,
      contactSupport: null,
      scenariosEffectivementInstalles: {
        hasBALMSSantePersonnelle: true,
        operateurMessagerie: 'GIP_9',
        certificatDMP: 'HJKJSDS1234',
        certificatINSi: 'POUIPOU005',
      },
      contentHash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(l.numeroASP).toBe('FINPHA004979');
  });

  it('accepts declared pieces whose extension is .pdf in any case, optional fields absent or null', () => {
    const file = soldeWithPieces();
    Object.assign(line(file), {
      beneficiaireHistorique: null,
      contactSupport: null,
      scenariosEffectivementInstalles: null,
    });
    const l = validLines('solde', file)[0]!;
    expect(l.ok && l.declaredPieces.map((p) => p.type)).toEqual(['VA', 'FACTURE']);
    const bare = soldeSeed();
    delete line(bare).piecesJustificatives;
    delete line(bare).scenariosEffectivementInstalles;
    expect(validLines('solde', bare)[0]!.ok).toBe(true);
  });

  it('accepts the A → B case with a valid historical FINESS and an https support link', () => {
    const file = soldeSeed();
    Object.assign(line(file), {
      beneficiaireHistorique: '010000024',
      contactSupport: 'https://support.example.fr/segur',
    });
    const l = validLines('solde', file)[0]!;
    expect(l.ok && l.data.beneficiaireHistorique).toBe('010000024');
  });

  // A hash already stored on a dossier must come out the same for the same line: the hash input is
  // built key by key for speed, and must stay the line's whole data (but numLigne) plus its pieces.
  it('hashes the line data with its declared pieces, whatever fields the line has', () => {
    const full = soldeSeed();
    Object.assign(line(full), {
      beneficiaireHistorique: '010000024',
      contactSupport: 'https://support.example.fr/segur',
    });
    const bare = soldeSeed();
    delete line(bare).scenariosEffectivementInstalles;
    for (const file of [soldeSeed(), full, bare, soldeWithPieces()]) {
      const l = validLines('solde', file)[0]!;
      if (!l.ok) throw new Error('ligne refusée');
      const { contentHash: hash, ...data } = l.data;
      expect(hash).toBe(l.contentHash);
      expect(hash).toBe(contentHash({ ...data, declaredPieces: l.declaredPieces }));
    }
  });

  it('gives the same content hash to a resent line with another numLigne and key order', () => {
    const first = validLines('solde', soldeSeed())[0]!;
    const again = soldeSeed();
    const original = line(again);
    again.lignesImport[0] = Object.fromEntries(Object.entries({ ...original, numLigne: 42 }).reverse());
    const second = validLines('solde', again)[0]!;
    expect(first.ok && second.ok && second.contentHash === first.contentHash).toBe(true);
    const changed = soldeSeed();
    (line(changed).facture as Record<string, unknown>).montantSegurHTFacture = 1000.1;
    const third = validLines('solde', changed)[0]!;
    expect(first.ok && third.ok && third.contentHash !== first.contentHash).toBe(true);
  });
});

describe('validateImportFile: the header refuses the whole file', () => {
  it.each([
    ['an array', [], ''],
    ['a string', 'lignesImport', ''],
    ['null', null, ''],
  ])('refuses %s as a file', (_label, body, path) => {
    expect(validateImportFile('avance', body)).toEqual({
      ok: false,
      errors: [expect.objectContaining({ path, code: 'CHAMP_INVALIDE' })],
    });
  });

  it('refuses the webinar SIRET whose Luhn key is wrong, the unknown field and the bad numéro ANS, all at once', () => {
    const file = { ...soldeSeed(), siret: '88558855858745', numeroAns: '1234567890', numeroAs: '1234567890' };
    const r = validateImportFile('solde', file);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: 'siret', code: 'SIRET_INVALIDE' }),
        expect.objectContaining({ path: 'numeroAns', code: 'CHAMP_INVALIDE' }),
        expect.objectContaining({
          path: 'numeroAs',
          code: 'CHAMP_INCONNU',
          message: 'champ inconnu : numeroAs',
        }),
      ]),
    );
    expect(r.errors).toHaveLength(3);
  });

  it.each([
    ['missing', undefined, 'champ obligatoire'],
    ['an object', {}, 'liste de lignes'],
    ['empty', [], 'au moins une ligne'],
  ])('refuses lignesImport %s', (_label, lignesImport, message) => {
    const r = validateImportFile('avance', { ...avanceSeed(), lignesImport });
    expect(r).toEqual({
      ok: false,
      errors: [
        expect.objectContaining({
          path: 'lignesImport',
          code: 'CHAMP_INVALIDE',
          message: expect.stringContaining(message),
        }),
      ],
    });
  });

  it('refuses a missing SIRET with SIRET_INVALIDE', () => {
    const { siret: _siret, ...file } = avanceSeed();
    expect(validateImportFile('avance', file)).toEqual({
      ok: false,
      errors: [expect.objectContaining({ path: 'siret', code: 'SIRET_INVALIDE' })],
    });
  });

  it('refuses a __proto__ key in the header without touching any prototype', () => {
    const body = JSON.parse(
      '{"__proto__":{"polluted":1},"numeroAns":"pbrSAS0012","siret":"79256844600019","lignesImport":[]}',
    ) as unknown;
    const r = validateImportFile('avance', body);
    expect(r).toMatchObject({
      ok: false,
      errors: expect.arrayContaining([expect.objectContaining({ path: '__proto__', code: 'CHAMP_INCONNU' })]),
    });
  });
});

describe('validateImportFile: each line has its own verdict with every error', () => {
  it('reports all the errors of a line with their JSON paths, and keeps valid lines valid', () => {
    const file = soldeSeed();
    file.lignesImport.push({
      numLigne: 2,
      typeAction: 'M',
      numeroASP: 'FINPHA004980',
      numeroEditeur: '00001',
      facture: { dateFacture: '31/02/2022', montantSegurHTFacture: 1000.001, remise: 10 },
      beneficiaire: '620006495',
      piecesJustificatives: [{ type: 'VA', nomFichier: 'va.docx' }],
      commentaire: 'inconnu',
    });
    const lines = validLines('solde', file);
    expect(lines[0]!.ok).toBe(true);
    expect(lines[1]).toEqual(
      expect.objectContaining({ ok: false, index: 1, numLigne: 2, numeroASP: 'FINPHA004980' }),
    );
    const errors = lineErrors(lines, 1);
    const byPath = Object.fromEntries(errors.map((e) => [e.path, e.code]));
    expect(byPath).toEqual({
      'lignesImport[1].commentaire': 'CHAMP_INCONNU',
      'lignesImport[1].facture.remise': 'CHAMP_INCONNU',
      'lignesImport[1].typeAction': 'CHAMP_INVALIDE',
      'lignesImport[1].facture.dateFacture': 'DATE_INVALIDE',
      'lignesImport[1].facture.montantSegurHTFacture': 'MONTANT_INVALIDE',
      'lignesImport[1].beneficiaire': 'FINESS_INVALIDE',
      'lignesImport[1].piecesJustificatives[0].nomFichier': 'CHAMP_INVALIDE',
    });
    expect(errors).toHaveLength(7);
  });

  it.each([
    [1000.001, 'deux décimales'],
    [-5, 'strictement positif'],
    [0, 'strictement positif'],
    ['abc', 'nombre attendu'],
    [1e12, 'plafond'],
    [null, 'champ obligatoire'],
  ])('refuses the montant %p', (montant, reason) => {
    const file = avanceSeed();
    (line(file).bonDeCommande as Record<string, unknown>).montantSegurHTBonDeCommande = montant;
    expect(lineErrors(validLines('avance', file))).toEqual([
      {
        path: 'lignesImport[0].bonDeCommande.montantSegurHTBonDeCommande',
        code: 'MONTANT_INVALIDE',
        message: expect.stringContaining(reason),
      },
    ]);
  });

  it('reads amounts exactly, from numbers or decimal text', () => {
    const file = avanceSeed();
    (line(file).bonDeCommande as Record<string, unknown>).montantSegurHTBonDeCommande = '1000.10';
    const l = validLines('avance', file)[0]!;
    expect(l.ok && l.data.bonDeCommande.montantCents).toBe(100010);
  });

  it.each(['31/02/2023', '29/02/2023', '2023-01-10', '10/1/2023'])('refuses the date %s', (date) => {
    const file = avanceSeed();
    (line(file).bonDeCommande as Record<string, unknown>).dateBonDeCommande = date;
    expect(lineErrors(validLines('avance', file))).toEqual([
      expect.objectContaining({
        path: 'lignesImport[0].bonDeCommande.dateBonDeCommande',
        code: 'DATE_INVALIDE',
      }),
    ]);
  });

  it('refuses a Luhn-invalid FINESS, as beneficiaire and as beneficiaireHistorique', () => {
    const file = soldeSeed();
    Object.assign(line(file), { beneficiaire: '620006495', beneficiaireHistorique: '123456789' });
    const errors = lineErrors(validLines('solde', file)).map((e) => `${e.path} ${e.code}`);
    expect(errors.sort()).toEqual([
      'lignesImport[0].beneficiaire FINESS_INVALIDE',
      'lignesImport[0].beneficiaireHistorique FINESS_INVALIDE',
    ]);
  });

  it('refuses a beneficiaireHistorique equal to the beneficiaire', () => {
    const file = soldeSeed();
    line(file).beneficiaireHistorique = '620006494';
    expect(lineErrors(validLines('solde', file))).toEqual([
      expect.objectContaining({ path: 'lignesImport[0].beneficiaireHistorique', code: 'CHAMP_INVALIDE' }),
    ]);
  });

  it.each([
    ['FINPHA04979', 'format'],
    ['FINPHA004979M1', 'suffixe'],
    ['FINSAS008539', 'couloir SAS'],
  ])('refuses the numéro ASP %s', (numeroASP, reason) => {
    const file = soldeSeed();
    line(file).numeroASP = numeroASP;
    expect(lineErrors(validLines('solde', file))).toEqual([
      {
        path: 'lignesImport[0].numeroASP',
        code: 'NUMERO_ASP_INVALIDE',
        message: expect.stringContaining(reason),
      },
    ]);
  });

  it.each([
    ['missing on an avance', undefined],
    ['plain http', 'http://support.example.fr'],
    ['not an email', 'pascal.breton@'],
  ])('refuses a contactSupport %s', (_label, contactSupport) => {
    const file = avanceSeed();
    line(file).contactSupport = contactSupport;
    expect(lineErrors(validLines('avance', file))).toEqual([
      expect.objectContaining({ path: 'lignesImport[0].contactSupport', code: 'CHAMP_INVALIDE' }),
    ]);
  });

  it('refuses fields of the other file: facture in an avance, bonDeCommande in a solde', () => {
    const avance = avanceSeed();
    line(avance).facture = { dateFacture: '15/05/2022', montantSegurHTFacture: 1000 };
    expect(lineErrors(validLines('avance', avance))).toEqual([
      expect.objectContaining({ path: 'lignesImport[0].facture', code: 'CHAMP_INCONNU' }),
    ]);
    const solde = soldeSeed();
    line(solde).beneficiaireHistorique = undefined;
    line(solde).numeroAsp = 'FINPHA004979';
    expect(lineErrors(validLines('solde', solde))).toEqual([
      expect.objectContaining({ path: 'lignesImport[0].numeroAsp', code: 'CHAMP_INCONNU' }),
    ]);
  });

  it.each([
    ['0', 0],
    ['1.5', 1.5],
    ['"1"', '1'],
  ])('refuses numLigne %s', (_label, numLigne) => {
    const file = avanceSeed();
    line(file).numLigne = numLigne;
    const lines = validLines('avance', file);
    expect(lines[0]!.numLigne).toBeNull();
    expect(lineErrors(lines)).toEqual([
      expect.objectContaining({ path: 'lignesImport[0].numLigne', code: 'CHAMP_INVALIDE' }),
    ]);
  });

  it('rejects both lines that share a numLigne, and only them', () => {
    const file = avanceSeed();
    const first = line(file);
    file.lignesImport.push({ ...first, numLigne: 2, beneficiaire: '010000024' }, { ...first, numLigne: 1 });
    const lines = validLines('avance', file);
    expect(lines.map((l) => l.ok)).toEqual([false, true, false]);
    expect(lineErrors(lines, 0)).toEqual([
      {
        path: 'lignesImport[0].numLigne',
        code: 'CHAMP_INVALIDE',
        message: 'numLigne 1 en double dans le fichier (lignesImport [0], [2])',
      },
    ]);
    expect(lineErrors(lines, 2)[0]!.path).toBe('lignesImport[2].numLigne');
  });

  it('refuses a piece declared twice in a line (whatever the case), or without a name', () => {
    const twice = soldeWithPieces();
    (line(twice).piecesJustificatives as unknown[]).push({
      type: 'AUTRE_S',
      nomFichier: 'pha-lgo-va1-va-00001.pdf',
    });
    expect(lineErrors(validLines('solde', twice))).toEqual([
      expect.objectContaining({
        path: 'lignesImport[0].piecesJustificatives[2].nomFichier',
        code: 'CHAMP_INVALIDE',
      }),
    ]);
    const unnamed = soldeWithPieces();
    (line(unnamed).piecesJustificatives as unknown[]).push({ type: 'AUTRE_S' });
    expect(lineErrors(validLines('solde', unnamed))).toEqual([
      expect.objectContaining({
        path: 'lignesImport[0].piecesJustificatives[2].nomFichier',
        message: 'champ obligatoire',
      }),
    ]);
  });

  it.each([['../etc/passwd.pdf'], ['dossier/va.pdf'], ['.pdf'], ['va.pdf.exe']])(
    'refuses the file name %s',
    (nomFichier) => {
      const file = avanceSeed();
      line(file).piecesJustificatives = [{ type: 'AUTRE_S', nomFichier }];
      expect(lineErrors(validLines('avance', file))).toEqual([
        expect.objectContaining({ path: 'lignesImport[0].piecesJustificatives[0].nomFichier' }),
      ]);
    },
  );

  it('refuses a line that is not an object', () => {
    const file = avanceSeed();
    file.lignesImport.push('ligne 2' as unknown as Record<string, unknown>);
    expect(lineErrors(validLines('avance', file), 1)).toEqual([
      expect.objectContaining({ path: 'lignesImport[1]', code: 'CHAMP_INVALIDE' }),
    ]);
  });

  it('refuses __proto__ and constructor inside a line, with their paths', () => {
    const file = avanceSeed();
    file.lignesImport[0] = JSON.parse(
      JSON.stringify(line(file)).replace(
        '"numLigne":1',
        '"numLigne":1,"__proto__":{"polluted":1},"bonDeCommande2":1',
      ),
    ) as Record<string, unknown>;
    (line(file).bonDeCommande as Record<string, unknown>) = JSON.parse(
      '{"dateBonDeCommande":"10/01/2023","montantSegurHTBonDeCommande":1,"constructor":{"prototype":{}}}',
    ) as Record<string, unknown>;
    const paths = lineErrors(validLines('avance', file)).map((e) => `${e.path} ${e.code}`);
    expect(paths).toEqual(
      expect.arrayContaining([
        'lignesImport[0].__proto__ CHAMP_INCONNU',
        'lignesImport[0].bonDeCommande.constructor CHAMP_INCONNU',
        'lignesImport[0].bonDeCommande2 CHAMP_INCONNU',
      ]),
    );
  });

  it("never passes class-validator's English messages on", () => {
    const file = soldeSeed();
    file.lignesImport.push(
      {
        numLigne: 2,
        facture: 'x',
        piecesJustificatives: [3, null],
        scenariosEffectivementInstalles: [1],
        x: 1,
      },
      { numLigne: 3, facture: { dateFacture: 1, montantSegurHTFacture: {} }, piecesJustificatives: 'a' },
    );
    const messages = validLines('solde', file).flatMap((l) => (l.ok ? [] : l.errors.map((e) => e.message)));
    expect(messages.length).toBeGreaterThan(10);
    for (const m of messages) expect(m).not.toMatch(/\b(must|should|property|nested|each value)\b/i);
  });
});

describe('validateImportFile: volume', () => {
  it('validates a 100 000-line file', () => {
    const template = line(soldeWithPieces());
    const lignesImport = Array.from({ length: 100_000 }, (_, i) => ({ ...template, numLigne: i + 1 }));
    const lines = validLines('solde', { ...soldeSeed(), lignesImport });
    expect(lines).toHaveLength(100_000);
    expect(lines.every((l) => l.ok)).toBe(true);
    expect(lines[99_999]!.numLigne).toBe(100_000);
  }, 300_000);
});
