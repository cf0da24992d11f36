// Example data of the source documents: GARAGE POULAT's SAS dossier (guide "Modification
// d'une demande de solde SAS") and the Officine webinar's dossier. Fixed instants: no clock in specs.
import type { Actor, DossierCommand, DossierCommandType } from '../dossier/dossier.commands';
import type { DossierEvent, DossierEventType, PieceRef } from '../dossier/dossier.events';

type CommandOf<T extends DossierCommandType> = Extract<DossierCommand, { type: T }>;
type EventOf<T extends DossierEventType> = Extract<DossierEvent, { type: T }>;

export const command = <T extends DossierCommandType>(
  type: T,
  data: CommandOf<T>['data'],
  actor: Actor,
  at: string,
): CommandOf<T> => ({ type, data, actor, at }) as unknown as CommandOf<T>;

export const event = <T extends DossierEventType>(type: T, data: EventOf<T>['data']): EventOf<T> =>
  ({ type, data }) as unknown as EventOf<T>;

export const ACTORS = {
  gestionnaire: { id: 'gestionnaire-asp-1', role: 'gestionnaire' },
  poulat: { id: 'fournisseur-pbrSAS0012', role: 'fournisseur' },
  officine: { id: 'fournisseur-zbuPHA0005', role: 'fournisseur' },
  autreFournisseur: { id: 'fournisseur-autre', role: 'fournisseur' },
  assistance: { id: 'assistance-1', role: 'assistance' },
  scheduler: { id: 'deadlines', role: 'system' },
  mailer: { id: 'mailer', role: 'system' },
} as const satisfies Record<string, Actor>;

export const piece = (pieceId: string, type: string, nomFichier: string): PieceRef => ({
  pieceId,
  type,
  nomFichier,
  taille: 48_213,
  sha256: `sha256-${pieceId}`,
});

// ---------------------------------------------------------------------------------------------
// GARAGE POULAT, couloir SAS (seed 000)

export const POULAT = {
  numeroAsp: 'FINSAS008539',
  couloir: 'SAS',
  numeroAns: 'pbrSAS0012',
  siret: '79256844600019',
  beneficiaire: '620006494',
  contact: 'pascal.breton@axyus.com',
  montantCents: 10_000_000,
} as const;

/** Deposited 16/02/2023, sent back for modification on 07/08/2023 (the guide's screenshots). */
export const POULAT_AT = {
  avanceImport: '2023-01-12T09:00:00.000Z',
  avancePayment: '2023-02-01T10:00:00.000Z',
  soldeImport: '2023-02-16T09:30:00.000Z',
  modificationRequest: '2023-08-07T08:00:00.000Z',
  reminderDue: '2023-08-17T08:00:00.000Z',
  expiry: '2023-08-27T08:00:00.000Z',
  edit: '2023-08-08T07:15:00.000Z',
  submit: '2023-08-08T07:45:00.000Z',
  validation: '2023-08-21T13:00:00.000Z',
  soldePayment: '2023-09-04T09:00:00.000Z',
} as const;

export const POULAT_AVANCE_PIECES: PieceRef[] = [piece('avance-pj-demande', 'AUTRE_S', 'PJ_Demande.pdf')];

export const POULAT_SOLDE_PIECES: PieceRef[] = [
  piece('va', 'VA', 'SAS-SAS-Va1-VA-00001.pdf'),
  piece('facture', 'FACTURE', 'facture-FINSAS008539.pdf'),
  piece('capture-ecran', 'MSS_RESU_TEST_TECH', 'capture-ecran-au-depot.pdf'),
  piece('guide-pdf', 'MSS_GUIDE_PDF_API', 'guide-pdf-au-depot.pdf'),
  piece('decision-attribution', 'decision_attribution', 'decision-attribution-finmss009266.pdf'),
  piece('pj-demande', 'AUTRE_S', 'PJ_Demande.pdf'),
];

export const importAvancePoulat = (
  data: Partial<CommandOf<'ImportAvance'>['data']> = {},
  actor: Actor = ACTORS.poulat,
  at: string = POULAT_AT.avanceImport,
) =>
  command(
    'ImportAvance',
    {
      numeroAsp: POULAT.numeroAsp,
      couloir: POULAT.couloir,
      numeroAns: POULAT.numeroAns,
      siret: POULAT.siret,
      importId: 'import-avance-poulat',
      numLigne: 1,
      numeroEditeur: '00001',
      bonDeCommande: { dateBonDeCommande: '2023-01-10', montantCents: POULAT.montantCents },
      beneficiaire: POULAT.beneficiaire,
      contactSupport: POULAT.contact,
      pieces: POULAT_AVANCE_PIECES,
      contentHash: 'avance-poulat-v1',
      ...data,
    },
    actor,
    at,
  );

export const poulatAvanceImported = event('AvanceImported', {
  numeroAsp: POULAT.numeroAsp,
  couloir: POULAT.couloir,
  numeroAns: POULAT.numeroAns,
  siret: POULAT.siret,
  importId: 'import-avance-poulat',
  numLigne: 1,
  numeroEditeur: '00001',
  bonDeCommande: { dateBonDeCommande: '2023-01-10', montantCents: POULAT.montantCents },
  beneficiaire: POULAT.beneficiaire,
  contactSupport: POULAT.contact,
  pieces: POULAT_AVANCE_PIECES,
  contentHash: 'avance-poulat-v1',
  importedAt: POULAT_AT.avanceImport,
});

export const poulatAvancePaid = event('AvancePaymentRecorded', {
  numeroAsp: POULAT.numeroAsp,
  datePaiement: '2023-02-01',
  montantCents: 3_000_000,
  recordedAt: POULAT_AT.avancePayment,
});

export const importSoldePoulat = (
  data: Partial<CommandOf<'ImportSolde'>['data']> = {},
  actor: Actor = ACTORS.poulat,
  at: string = POULAT_AT.soldeImport,
) =>
  command(
    'ImportSolde',
    {
      numeroAsp: POULAT.numeroAsp,
      siret: POULAT.siret,
      numeroAns: POULAT.numeroAns,
      importId: 'import-solde-poulat',
      numLigne: 1,
      numeroEditeur: '00001',
      facture: { dateFacture: '2023-02-10', montantCents: POULAT.montantCents },
      beneficiaire: POULAT.beneficiaire,
      beneficiaireHistorique: null,
      contactSupport: POULAT.contact,
      pieces: POULAT_SOLDE_PIECES,
      scenariosEffectivementInstalles: null,
      contentHash: 'solde-poulat-v1',
      ...data,
    },
    actor,
    at,
  );

export const poulatSoldeImported = event('SoldeImported', {
  numeroAsp: POULAT.numeroAsp,
  siret: POULAT.siret,
  numeroAns: POULAT.numeroAns,
  importId: 'import-solde-poulat',
  numLigne: 1,
  numeroEditeur: '00001',
  facture: { dateFacture: '2023-02-10', montantCents: POULAT.montantCents },
  beneficiaire: POULAT.beneficiaire,
  beneficiaireHistorique: null,
  champs: { contactSupport: POULAT.contact },
  pieces: POULAT_SOLDE_PIECES,
  scenariosEffectivementInstalles: null,
  contentHash: 'solde-poulat-v1',
  importedAt: POULAT_AT.soldeImport,
});

export const requestModificationPoulat = (
  commentaire = 'test modif',
  at: string = POULAT_AT.modificationRequest,
) =>
  command(
    'RequestModification',
    { numeroAsp: POULAT.numeroAsp, commentaire, reminderAfter: 'P10D', expiryAfter: 'P20D' },
    ACTORS.gestionnaire,
    at,
  );

export const poulatModificationRequested = event('ModificationRequested', {
  numeroAsp: POULAT.numeroAsp,
  version: 'M1',
  round: 1,
  commentaire: 'test modif',
  gestionnaireId: ACTORS.gestionnaire.id,
  requestedAt: POULAT_AT.modificationRequest,
  reminderDueAt: POULAT_AT.reminderDue,
  expiresAt: POULAT_AT.expiry,
});

/** The stream of GARAGE POULAT up to the solde, `EN_COURS`. */
export const POULAT_SOLDE_EN_COURS: DossierEvent[] = [
  poulatAvanceImported,
  poulatAvancePaid,
  poulatSoldeImported,
];
/** … then sent back by the gestionnaire: `A_MODIFIER`, version M1 open. */
export const POULAT_A_MODIFIER: DossierEvent[] = [...POULAT_SOLDE_EN_COURS, poulatModificationRequested];

/** Poulat's solde validated: engagement retenu 100 000 €, solde décidé 70 000 €. */
export const poulatSoldeValidated = event('SoldeValidated', {
  numeroAsp: POULAT.numeroAsp,
  engagementRetenuCents: 10_000_000,
  soldeDecideCents: 7_000_000,
  decisionModificative: null,
  gestionnaireId: ACTORS.gestionnaire.id,
  validatedAt: POULAT_AT.validation,
});

// ---------------------------------------------------------------------------------------------
// Officine (seed 004)

export const OFFICINE = {
  numeroAsp: 'FINPHA004979',
  couloir: 'PHA',
  numeroAns: 'zbuPHA0005',
  siret: '80125271900415',
  beneficiaire: '620006494',
  /** Another site (valid FINESS), absent from the avance. */
  autreBeneficiaire: '620006502',
  montantCents: 100_000,
} as const;

export const OFFICINE_AT = {
  avanceImport: '2022-03-01T09:00:00.000Z',
  avancePayment: '2022-04-01T09:00:00.000Z',
  soldeImport: '2023-01-26T10:00:00.000Z',
  validation: '2023-02-06T14:00:00.000Z',
} as const;

export const OFFICINE_SOLDE_PIECES: PieceRef[] = [
  piece('officine-va', 'VA', 'PHA-LGO-Va1-VA-00001.pdf'),
  piece('officine-facture', 'FACTURE', 'facture-FINPHA004979.pdf'),
];

export const officineAvanceImported = event('AvanceImported', {
  numeroAsp: OFFICINE.numeroAsp,
  couloir: OFFICINE.couloir,
  numeroAns: OFFICINE.numeroAns,
  siret: OFFICINE.siret,
  importId: 'import-avance-officine',
  numLigne: 1,
  numeroEditeur: '00001',
  bonDeCommande: { dateBonDeCommande: '2022-02-15', montantCents: OFFICINE.montantCents },
  beneficiaire: OFFICINE.beneficiaire,
  contactSupport: null,
  pieces: [],
  contentHash: 'avance-officine-v1',
  importedAt: OFFICINE_AT.avanceImport,
});

export const officineAvancePaid = event('AvancePaymentRecorded', {
  numeroAsp: OFFICINE.numeroAsp,
  datePaiement: '2022-04-01',
  montantCents: 30_000,
  recordedAt: OFFICINE_AT.avancePayment,
});

export const OFFICINE_AVANCE_PAYEE: DossierEvent[] = [officineAvanceImported, officineAvancePaid];

/** The webinar's solde line: facture of 15/05/2022, 1000.00 € HT, beneficiary 620006494. */
export const importSoldeOfficine = (
  data: Partial<CommandOf<'ImportSolde'>['data']> = {},
  actor: Actor = ACTORS.officine,
  at: string = OFFICINE_AT.soldeImport,
) =>
  command(
    'ImportSolde',
    {
      numeroAsp: OFFICINE.numeroAsp,
      siret: OFFICINE.siret,
      numeroAns: OFFICINE.numeroAns,
      importId: 'import-solde-officine',
      numLigne: 1,
      numeroEditeur: '00001',
      facture: { dateFacture: '2022-05-15', montantCents: OFFICINE.montantCents },
      beneficiaire: OFFICINE.beneficiaire,
      beneficiaireHistorique: null,
      contactSupport: null,
      pieces: OFFICINE_SOLDE_PIECES,
      scenariosEffectivementInstalles: {
        hasBALMSSantePersonnelle: true,
        operateurMessagerie: 'GIP_9',
        certificatDMP: 'HJKJSDS1234',
        certificatINSi: 'POUIPOU005',
      },
      contentHash: 'solde-officine-v1',
      ...data,
    },
    actor,
    at,
  );

/** The SoldeImported an Officine solde command leads to (the decider adds nothing else to it). */
export const officineSoldeImported = (cmd: CommandOf<'ImportSolde'> = importSoldeOfficine()) => {
  const { contactSupport, ...rest } = cmd.data;
  return event('SoldeImported', { ...rest, champs: { contactSupport }, importedAt: cmd.at });
};

export const validateSolde = (
  numeroAsp: string,
  at: string,
  amounts: { engagementRetenuCents?: number; soldeDecideCents?: number } = {},
) =>
  command(
    'ValidateSolde',
    {
      numeroAsp,
      engagementRetenuCents: amounts.engagementRetenuCents ?? null,
      soldeDecideCents: amounts.soldeDecideCents ?? null,
    },
    ACTORS.gestionnaire,
    at,
  );
