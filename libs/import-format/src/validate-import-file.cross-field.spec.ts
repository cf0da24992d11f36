import { type ImportError } from './import-error';
import { type LineResult, validateImportFile } from './validate-import-file';
import { avanceSeed, soldeSeed, soldeWithPieces } from './testing/seed-import-files';

// Checks that involve more than one field of a line, or more than one line of the file.

const line = (file: { lignesImport: Array<Record<string, unknown>> }, i = 0) => file.lignesImport[i]!;

const linesOf = (kind: 'avance' | 'solde', body: unknown): LineResult<unknown>[] => {
  const r = validateImportFile(kind, body);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.lines;
};

const errorsOf = (kind: 'avance' | 'solde', body: unknown, i = 0): ImportError[] => {
  const l = linesOf(kind, body)[i]!;
  return l.ok ? [] : l.errors;
};

describe('validateImportFile: a piece declared twice in a line', () => {
  it('names the file in the French message, at the second declaration', () => {
    const file = soldeWithPieces();
    (line(file).piecesJustificatives as unknown[]).push({
      type: 'AUTRE_S',
      nomFichier: 'Facture-2022-05-15.pdf',
    });
    expect(errorsOf('solde', file)).toEqual([
      {
        path: 'lignesImport[0].piecesJustificatives[2].nomFichier',
        code: 'CHAMP_INVALIDE',
        message: 'le fichier Facture-2022-05-15.pdf est déclaré deux fois dans la ligne',
      },
    ]);
  });

  it('compares names in lower case: straße.pdf and STRASSE.pdf are two files', () => {
    const file = avanceSeed();
    line(file).piecesJustificatives = [
      { type: 'AUTRE_S', nomFichier: 'straße.pdf' },
      { type: 'AUTRE_S', nomFichier: 'STRASSE.pdf' },
    ];
    const l = linesOf('avance', file)[0]!;
    expect(l.ok && l.declaredPieces).toEqual([
      { type: 'AUTRE_S', nomFichier: 'straße.pdf' },
      { type: 'AUTRE_S', nomFichier: 'STRASSE.pdf' },
    ]);
  });
});

describe('validateImportFile: beneficiaireHistorique equal to the beneficiaire', () => {
  it('refuses it with the French message', () => {
    const file = soldeSeed();
    line(file).beneficiaireHistorique = '620006494';
    expect(errorsOf('solde', file)).toEqual([
      {
        path: 'lignesImport[0].beneficiaireHistorique',
        code: 'CHAMP_INVALIDE',
        message: "le bénéficiaire historique doit être l'ancien FINESS du site, différent du bénéficiaire",
      },
    ]);
  });

  it('reports only the FINESS errors when both are the same invalid FINESS', () => {
    const file = soldeSeed();
    Object.assign(line(file), { beneficiaire: '620006495', beneficiaireHistorique: '620006495' });
    expect(
      errorsOf('solde', file)
        .map((e) => `${e.path} ${e.code}`)
        .sort(),
    ).toEqual([
      'lignesImport[0].beneficiaire FINESS_INVALIDE',
      'lignesImport[0].beneficiaireHistorique FINESS_INVALIDE',
    ]);
  });

  it('reports only the missing beneficiaire when neither is given', () => {
    const file = soldeSeed();
    delete line(file).beneficiaire;
    expect(errorsOf('solde', file)).toEqual([
      { path: 'lignesImport[0].beneficiaire', code: 'FINESS_INVALIDE', message: 'champ obligatoire' },
    ]);
  });
});

describe('validateImportFile: the numéro ASP of a line', () => {
  it('is never read from an avance line, where numeroASP is an unknown field', () => {
    const file = avanceSeed();
    line(file).numeroASP = 'FINSAS008539';
    expect(linesOf('avance', file)[0]).toEqual({
      index: 0,
      numeroASP: null,
      ok: false,
      numLigne: 1,
      errors: [
        { path: 'lignesImport[0].numeroASP', code: 'CHAMP_INCONNU', message: 'champ inconnu : numeroASP' },
      ],
    });
  });
});

describe('validateImportFile: a numLigne used twice', () => {
  it("adds the duplicate error after the line's own errors", () => {
    const file = avanceSeed();
    file.lignesImport.push({ ...line(file), beneficiaire: '620006495' });
    expect(errorsOf('avance', file, 1)).toEqual([
      { path: 'lignesImport[1].beneficiaire', code: 'FINESS_INVALIDE', message: expect.any(String) },
      {
        path: 'lignesImport[1].numLigne',
        code: 'CHAMP_INVALIDE',
        message: 'numLigne 1 en double dans le fichier (lignesImport [0], [1])',
      },
    ]);
  });

  it('lists every line of a number used three times', () => {
    const file = avanceSeed();
    file.lignesImport.push({ ...line(file), beneficiaire: '010000024' }, { ...line(file) });
    const lines = linesOf('avance', file);
    expect(lines.map((l) => (l.ok ? [] : l.errors.map((e) => e.message)))).toEqual([
      ['numLigne 1 en double dans le fichier (lignesImport [0], [1], [2])'],
      ['numLigne 1 en double dans le fichier (lignesImport [0], [1], [2])'],
      ['numLigne 1 en double dans le fichier (lignesImport [0], [1], [2])'],
    ]);
  });
});
