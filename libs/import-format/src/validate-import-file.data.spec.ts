import { type AvanceLineData, type SoldeLineData, validateImportFile } from './validate-import-file';
import { avanceSeed, soldeSeed } from './testing/seed-import-files';
import { contentHash } from './content-hash';

// The data a valid line gives, exactly: the decider stores it, and its hash is the line's identity.

const line = (file: { lignesImport: Array<Record<string, unknown>> }, i = 0) => file.lignesImport[i]!;

const validAvance = (body: unknown): { data: AvanceLineData; contentHash: string } => {
  const r = validateImportFile('avance', body);
  const l = r.ok ? r.lines[0] : undefined;
  if (l === undefined || !l.ok) throw new Error(JSON.stringify(r));
  return l;
};

const validSolde = (body: unknown): SoldeLineData => {
  const r = validateImportFile('solde', body);
  const l = r.ok ? r.lines[0] : undefined;
  if (l === undefined || !l.ok) throw new Error(JSON.stringify(r));
  return l.data;
};

describe('validateImportFile: the scenarios of a solde line', () => {
  it('keeps only the fields the supplier gave, with no undefined member', () => {
    const file = soldeSeed();
    line(file).scenariosEffectivementInstalles = {};
    expect(validSolde(file).scenariosEffectivementInstalles).toStrictEqual({});
  });

  it.each([
    ['hasBALMSSantePersonnelle', false],
    ['operateurMessagerie', 'GIP_9'],
    ['certificatDMP', 'HJKJSDS1234'],
    ['certificatINSi', 'POUIPOU005'],
  ])('keeps %s alone', (field, value) => {
    const file = soldeSeed();
    line(file).scenariosEffectivementInstalles = { [field]: value };
    expect(validSolde(file).scenariosEffectivementInstalles).toStrictEqual({ [field]: value });
  });
});

describe('validateImportFile: the content hash of an avance line', () => {
  it('hashes the line data with its declared pieces', () => {
    const l = validAvance(avanceSeed());
    const { contentHash: hash, ...data } = l.data;
    expect(hash).toBe(l.contentHash);
    expect(hash).toBe(
      contentHash({ ...data, declaredPieces: [{ nomFichier: 'PJ_Demande.pdf', type: 'AUTRE_S' }] }),
    );
  });

  // Hashes already stored on dossiers must keep matching their lines.
  it("pins the hash of GARAGE POULAT's avance", () => {
    expect(validAvance(avanceSeed()).contentHash).toBe(
      '1d7302fb948c160c5d256271c36c413e35f029e3a809c5b5569ddb2be4aaa07e',
    );
  });
});
