import Ajv2020 from 'ajv/dist/2020';
import { avanceSchema, soldeSchema } from './index';
import { avanceSeed, soldeSeed, soldeWithPieces } from '../testing/seed-import-files';

// A default, strict ajv: what a supplier's developer would use on the published files.
const ajv = new Ajv2020({ allErrors: true, allowUnionTypes: true });
const validateAvance = ajv.compile(avanceSchema);
const validateSolde = ajv.compile(soldeSchema);

const mutate = <T extends { lignesImport: Array<Record<string, unknown>> }>(
  file: T,
  f: (line: Record<string, unknown>) => void,
): T => {
  f(file.lignesImport[0]!);
  return file;
};

describe('published JSON Schemas', () => {
  it('are draft 2020-12 and closed', () => {
    for (const schema of [avanceSchema, soldeSchema]) {
      expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
      expect(schema.additionalProperties).toBe(false);
    }
  });

  it('accept the seed files of docs/domain.md', () => {
    expect(validateAvance(avanceSeed())).toBe(true);
    expect(validateSolde(soldeSeed())).toBe(true);
    expect(validateSolde(soldeWithPieces())).toBe(true);
  });

  it('accept montants as text and the A → B case', () => {
    expect(
      validateSolde(
        mutate(soldeSeed(), (l) => {
          (l.facture as Record<string, unknown>).montantSegurHTFacture = '1000.10';
          l.beneficiaireHistorique = '010000024';
          l.contactSupport = 'https://support.example.fr';
        }),
      ),
    ).toBe(true);
  });

  it.each([
    ['header field unknown', { ...avanceSeed(), numeroAs: '1234567890' }],
    ['SIRET of 13 digits', { ...avanceSeed(), siret: '7925684460001' }],
    ['numéro ANS of the webinar typo', { ...avanceSeed(), numeroAns: '1234567890' }],
    ['no line', { ...avanceSeed(), lignesImport: [] }],
    ['line field unknown', mutate(avanceSeed(), (l) => (l.commentaire = 'x'))],
    ['FINESS of 8 digits', mutate(avanceSeed(), (l) => (l.beneficiaire = '62000649'))],
    [
      'date yyyy-MM-dd',
      mutate(
        avanceSeed(),
        (l) => (l.bonDeCommande = { dateBonDeCommande: '2023-01-10', montantSegurHTBonDeCommande: 1 }),
      ),
    ],
    [
      'date 32/01',
      mutate(
        avanceSeed(),
        (l) => (l.bonDeCommande = { dateBonDeCommande: '32/01/2023', montantSegurHTBonDeCommande: 1 }),
      ),
    ],
    [
      'montant 0',
      mutate(
        avanceSeed(),
        (l) => (l.bonDeCommande = { dateBonDeCommande: '10/01/2023', montantSegurHTBonDeCommande: 0 }),
      ),
    ],
    [
      'montant -5',
      mutate(
        avanceSeed(),
        (l) => (l.bonDeCommande = { dateBonDeCommande: '10/01/2023', montantSegurHTBonDeCommande: -5 }),
      ),
    ],
    [
      'montant 1e12',
      mutate(
        avanceSeed(),
        (l) => (l.bonDeCommande = { dateBonDeCommande: '10/01/2023', montantSegurHTBonDeCommande: 1e12 }),
      ),
    ],
    [
      'montant "abc"',
      mutate(
        avanceSeed(),
        (l) => (l.bonDeCommande = { dateBonDeCommande: '10/01/2023', montantSegurHTBonDeCommande: 'abc' }),
      ),
    ],
    [
      'montant "1000.001"',
      mutate(
        avanceSeed(),
        (l) =>
          (l.bonDeCommande = { dateBonDeCommande: '10/01/2023', montantSegurHTBonDeCommande: '1000.001' }),
      ),
    ],
    ['typeAction M', mutate(avanceSeed(), (l) => (l.typeAction = 'M'))],
    ['numLigne 0', mutate(avanceSeed(), (l) => (l.numLigne = 0))],
    ['contactSupport missing', mutate(avanceSeed(), (l) => delete l.contactSupport)],
    [
      'piece not a PDF',
      mutate(avanceSeed(), (l) => (l.piecesJustificatives = [{ type: 'AUTRE_S', nomFichier: 'a.docx' }])),
    ],
    [
      'facture in an avance',
      mutate(avanceSeed(), (l) => (l.facture = { dateFacture: '15/05/2022', montantSegurHTFacture: 1 })),
    ],
  ])('refuse an avance with %s', (_label, file) => expect(validateAvance(file)).toBe(false));

  it.each([
    ['numéro ASP with a version', mutate(soldeSeed(), (l) => (l.numeroASP = 'FINPHA004979M1'))],
    ['numéro ASP of 5 digits', mutate(soldeSeed(), (l) => (l.numeroASP = 'FINPHA04979'))],
    ['numéro ASP missing', mutate(soldeSeed(), (l) => delete l.numeroASP)],
    [
      'scenario field unknown',
      mutate(soldeSeed(), (l) => (l.scenariosEffectivementInstalles = { dmp: true })),
    ],
    [
      'hasBALMSSantePersonnelle as text',
      mutate(soldeSeed(), (l) => (l.scenariosEffectivementInstalles = { hasBALMSSantePersonnelle: 'oui' })),
    ],
    ['bonDeCommande in a solde', mutate(soldeSeed(), (l) => (l.bonDeCommande = {}))],
    [
      'contactSupport in plain http',
      mutate(soldeSeed(), (l) => (l.contactSupport = 'http://support.example.fr')),
    ],
  ])('refuse a solde with %s', (_label, file) => expect(validateSolde(file)).toBe(false));
});
