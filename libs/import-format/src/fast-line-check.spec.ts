import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { passesLineGate } from './fast-line-check';
import { AvanceLineDto } from './dto/avance-file.dto';
import { SoldeLineDto } from './dto/solde-file.dto';
import { avanceSeed, soldeSeed, soldeWithPieces } from './testing/seed-import-files';

// The gate may send a valid line to class-validator (only slower), never accept a line the DTOs
// refuse. Every variant below must get the same verdict from both, or be refused by the gate.
const dtoAccepts = (kind: 'avance' | 'solde', line: unknown): boolean => {
  const dto: object =
    kind === 'avance'
      ? plainToInstance(AvanceLineDto, line as object)
      : plainToInstance(SoldeLineDto, line as object);
  return (
    validateSync(dto, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true }).length === 0
  );
};

type Line = Record<string, unknown>;
const variants: Array<[string, (l: Line) => void]> = [
  ['as is', () => undefined],
  ['numLigne 0', (l) => (l.numLigne = 0)],
  ['numLigne 1.5', (l) => (l.numLigne = 1.5)],
  ['numLigne text', (l) => (l.numLigne = '1')],
  ['numLigne huge', (l) => (l.numLigne = 1e300)],
  ['typeAction M', (l) => (l.typeAction = 'M')],
  ['numeroEditeur empty', (l) => (l.numeroEditeur = '')],
  ['numeroEditeur long astral', (l) => (l.numeroEditeur = '😀'.repeat(30))],
  ['numeroEditeur number', (l) => (l.numeroEditeur = 1)],
  ['beneficiaire Luhn', (l) => (l.beneficiaire = '620006495')],
  ['beneficiaire missing', (l) => delete l.beneficiaire],
  ['unknown field', (l) => (l.x = 1)],
  ['pieces null', (l) => (l.piecesJustificatives = null)],
  ['pieces object', (l) => (l.piecesJustificatives = {})],
  ['piece docx', (l) => (l.piecesJustificatives = [{ type: 'VA', nomFichier: 'a.docx' }])],
  ['piece with path', (l) => (l.piecesJustificatives = [{ type: 'VA', nomFichier: 'a/b.pdf' }])],
  ['piece control char', (l) => (l.piecesJustificatives = [{ type: 'VA', nomFichier: 'a\u0001.pdf' }])],
  ['piece ..', (l) => (l.piecesJustificatives = [{ type: 'VA', nomFichier: '...pdf' }])],
  ['piece type empty', (l) => (l.piecesJustificatives = [{ type: '', nomFichier: 'a.pdf' }])],
  ['piece extra field', (l) => (l.piecesJustificatives = [{ type: 'VA', nomFichier: 'a.pdf', taille: 1 }])],
  ['contactSupport null', (l) => (l.contactSupport = null)],
  ['contactSupport http', (l) => (l.contactSupport = 'http://a.fr')],
  ['contactSupport https', (l) => (l.contactSupport = 'https://a.fr/x')],
  ['contactSupport spaces', (l) => (l.contactSupport = ' a@b.fr ')],
  ['contactSupport credentials', (l) => (l.contactSupport = 'https://u:p@a.fr')],
];
const avanceVariants: Array<[string, (l: Line) => void]> = [
  ['date 31/02', (l) => ((l.bonDeCommande as Line).dateBonDeCommande = '31/02/2023')],
  ['montant 1000.001', (l) => ((l.bonDeCommande as Line).montantSegurHTBonDeCommande = 1000.001)],
  ['montant " 12 "', (l) => ((l.bonDeCommande as Line).montantSegurHTBonDeCommande = ' 12 ')],
  ['montant 0', (l) => ((l.bonDeCommande as Line).montantSegurHTBonDeCommande = 0)],
  ['bonDeCommande null', (l) => (l.bonDeCommande = null)],
  ['bonDeCommande extra', (l) => ((l.bonDeCommande as Line).x = 1)],
];
const soldeVariants: Array<[string, (l: Line) => void]> = [
  ['numeroASP M1', (l) => (l.numeroASP = 'FINPHA004979M1')],
  ['numeroASP bad', (l) => (l.numeroASP = 'FINPHA04979')],
  ['historique null', (l) => (l.beneficiaireHistorique = null)],
  ['historique Luhn', (l) => (l.beneficiaireHistorique = '123456789')],
  ['historique number', (l) => (l.beneficiaireHistorique = 620006494)],
  ['scenarios null', (l) => (l.scenariosEffectivementInstalles = null)],
  ['scenarios array', (l) => (l.scenariosEffectivementInstalles = [])],
  ['scenarios empty string', (l) => (l.scenariosEffectivementInstalles = { certificatDMP: '' })],
  [
    'scenarios boolean text',
    (l) => (l.scenariosEffectivementInstalles = { hasBALMSSantePersonnelle: 'true' }),
  ],
  ['facture date', (l) => ((l.facture as Line).dateFacture = '29/02/2023')],
  ['facture montant text', (l) => ((l.facture as Line).montantSegurHTFacture = '1000,50')],
];

describe('passesLineGate never accepts what the DTOs refuse', () => {
  it.each([...variants, ...avanceVariants])('avance: %s', (_label, change) => {
    const line = avanceSeed().lignesImport[0]!;
    change(line);
    const dto = dtoAccepts('avance', line);
    // Unconditional: a line the DTOs refuse must be refused by the gate too.
    expect({ gate: passesLineGate('avance', line), dto }).toEqual(
      dto ? { gate: expect.any(Boolean), dto } : { gate: false, dto },
    );
  });

  it.each([...variants, ...soldeVariants])('solde: %s', (_label, change) => {
    const line = soldeWithPieces().lignesImport[0]!;
    change(line);
    const dto = dtoAccepts('solde', line);
    // Unconditional: a line the DTOs refuse must be refused by the gate too.
    expect({ gate: passesLineGate('solde', line), dto }).toEqual(
      dto ? { gate: expect.any(Boolean), dto } : { gate: false, dto },
    );
  });

  it('lets the seed lines through, so the fast path is really used', () => {
    expect(passesLineGate('avance', avanceSeed().lignesImport[0])).toBe(true);
    expect(passesLineGate('solde', soldeSeed().lignesImport[0])).toBe(true);
  });

  it('lets a solde line through with beneficiaireHistorique or contactSupport explicitly null', () => {
    const withNull = (field: string) => {
      const line = soldeWithPieces().lignesImport[0]!;
      line[field] = null;
      return { gate: passesLineGate('solde', line), dto: dtoAccepts('solde', line) };
    };
    expect(withNull('beneficiaireHistorique')).toEqual({ gate: true, dto: true });
    expect(withNull('contactSupport')).toEqual({ gate: true, dto: true });
  });
});
