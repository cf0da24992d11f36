// The two files of docs/domain.md, taken from the seeds (GARAGE POULAT's avance, the Officine solde
// of the ASP webinar). Functions, so that each test mutates its own copy.

export const avanceSeed = () => ({
  impId: null,
  numeroAns: 'pbrSAS0012',
  siret: '79256844600019',
  lignesImport: [
    {
      numLigne: 1,
      typeAction: 'C',
      numeroEditeur: '00001',
      bonDeCommande: { dateBonDeCommande: '10/01/2023', montantSegurHTBonDeCommande: 100000.0 },
      beneficiaire: '620006494',
      contactSupport: 'pascal.breton@axyus.com',
      piecesJustificatives: [{ type: 'AUTRE_S', nomFichier: 'PJ_Demande.pdf' }],
    } as Record<string, unknown>,
  ],
});

export const soldeSeed = () => ({
  impId: null,
  numeroAns: 'zbuPHA0005',
  siret: '80125271900415',
  lignesImport: [
    {
      numLigne: 1,
      typeAction: 'C',
      numeroASP: 'FINPHA004979',
      numeroEditeur: '00001',
      facture: { dateFacture: '15/05/2022', montantSegurHTFacture: 1000.0 },
      beneficiaire: '620006494',
      piecesJustificatives: [],
      scenariosEffectivementInstalles: {
        hasBALMSSantePersonnelle: true,
        operateurMessagerie: 'GIP_9',
        certificatDMP: 'HJKJSDS1234',
        certificatINSi: 'POUIPOU005',
      },
    } as Record<string, unknown>,
  ],
});

/** The solde seed with the mandatory pieces a real solde declares (VA and invoice). */
export const soldeWithPieces = () => {
  const file = soldeSeed();
  (file.lignesImport[0] as Record<string, unknown>).piecesJustificatives = [
    { type: 'VA', nomFichier: 'PHA-LGO-Va1-VA-00001.pdf' },
    { type: 'FACTURE', nomFichier: 'facture-2022-05-15.PDF' },
  ];
  return file;
};
