import { isValidSiret } from '@segur/domain';

/** What a demo dossier is taken to, step by step through the same commands as the API. */
export type DemoTarget =
  'AVANCE_EN_COURS' | 'AVANCE_PAYEE' | 'SOLDE_EN_COURS' | 'A_MODIFIER' | 'VALIDEE' | 'REJETEE' | 'SOLDE_PAYE';

/** One line per target and per fournisseur: every statut of both phases, for each one. */
export const DEMO_TARGETS: readonly DemoTarget[] = [
  'A_MODIFIER',
  'AVANCE_EN_COURS',
  'AVANCE_PAYEE',
  'SOLDE_EN_COURS',
  'VALIDEE',
  'REJETEE',
  'SOLDE_PAYE',
];

export interface DemoFournisseur {
  siret: string;
  numeroAns: string;
  denominationSociale: string;
  commune: string;
  codePostal: string;
  email: string;
}

/** A SIRET from 13 digits and the one key digit that makes it valid (found by the domain's own check). */
const withKey = (base13: string): string => {
  for (let d = 0; d <= 9; d++) if (isValidSiret(`${base13}${d}`)) return `${base13}${d}`;
  throw new Error(`aucune clé SIRET pour ${base13}`);
};

/** GARAGE POULAT first (the story of the walk-through), then five invented software vendors. */
export const DEMO_FOURNISSEURS: readonly DemoFournisseur[] = [
  {
    siret: '79256844600019',
    numeroAns: 'pbrSAS0012',
    denominationSociale: 'GARAGE POULAT',
    commune: 'VILLENEUVE D ASCQ',
    codePostal: '59650',
    email: 'contact@garage-poulat.fr',
  },
  ...[
    ['LOGICIELS DU NORD', 'LILLE', '59000'],
    ['SANTE CONNECT', 'RENNES', '35000'],
    ['MEDI EDITIONS', 'LYON', '69003'],
    ['PHARMA SOFT', 'BORDEAUX', '33000'],
    ['REGULATION PLUS', 'NANTES', '44000'],
  ].map(([denominationSociale, commune, codePostal], i) => ({
    siret: withKey(`8012527190${String(100 + i).padStart(3, '0')}`),
    numeroAns: `dem${['SAS', 'PHA', 'MSS', 'SAS', 'PHA'][i]}${String(101 + i).padStart(4, '0')}`,
    denominationSociale: denominationSociale!,
    commune: commune!,
    codePostal: codePostal!,
    email: `contact@${denominationSociale!.toLowerCase().replace(/[^a-z]+/g, '-')}.example.fr`,
  })),
];

export const DEMO_BENEFICIAIRE = '620006494';
export const DEMO_IBAN = 'FR7630006000011234567890189';
export const DEMO_BIC = 'AGRIFRPP882';

/** A tiny valid PDF (the API checks the magic bytes), as the walk-through's examples/ files. */
export const demoPdf = (name: string): Buffer =>
  Buffer.from(`%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n% ${name}\ntrailer << /Root 1 0 R >>\n%%EOF\n`);

const contactOf = (f: DemoFournisseur): string =>
  f.siret === '79256844600019'
    ? 'pascal.breton@axyus.com'
    : `support@${f.denominationSociale.toLowerCase().replace(/[^a-z]+/g, '-')}.fr`;

export const avanceFile = (f: DemoFournisseur): Buffer =>
  Buffer.from(
    JSON.stringify({
      impId: null,
      numeroAns: f.numeroAns,
      siret: f.siret,
      lignesImport: DEMO_TARGETS.map((_, i) => ({
        numLigne: i + 1,
        typeAction: 'C',
        numeroEditeur: String(i + 1).padStart(5, '0'),
        bonDeCommande: { dateBonDeCommande: '10/01/2023', montantSegurHTBonDeCommande: 100000.0 + i * 1000 },
        beneficiaire: DEMO_BENEFICIAIRE,
        contactSupport: contactOf(f),
        piecesJustificatives: [],
      })),
    }),
  );

export const soldeFile = (f: DemoFournisseur, numerosAsp: readonly string[]): Buffer =>
  Buffer.from(
    JSON.stringify({
      impId: null,
      numeroAns: f.numeroAns,
      siret: f.siret,
      lignesImport: numerosAsp.map((numeroASP, i) => ({
        numLigne: i + 1,
        typeAction: 'C',
        numeroASP,
        numeroEditeur: String(i + 1).padStart(5, '0'),
        facture: { dateFacture: '10/02/2023', montantSegurHTFacture: 100000.0 },
        beneficiaire: DEMO_BENEFICIAIRE,
        contactSupport: contactOf(f),
        piecesJustificatives: [
          { type: 'VA', nomFichier: 'VA.pdf' },
          { type: 'FACTURE', nomFichier: 'FACTURE.pdf' },
        ],
        scenariosEffectivementInstalles: null,
      })),
    }),
  );
