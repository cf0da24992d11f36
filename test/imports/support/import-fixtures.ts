import type request from 'supertest';

type TestAgent = ReturnType<typeof request>;

// Officine (seed 004) and GARAGE POULAT (seed 000).
export const OFFICINE = { siret: '80125271900415', numeroAns: 'zbuPHA0005', finess: '620006494' } as const;
export const POULAT = { siret: '79256844600019', numeroAns: 'pbrSAS0012', finess: '620006494' } as const;
/** Another Officine editor (Luhn-valid SIRET), to prove tenancy between suppliers of one couloir. */
export const AUTRE_PHA = { siret: '12345678900007', numeroAns: 'xyzPHA0001' } as const;
/** Luhn-valid FINESS of other sites. */
export const FINESS_B = '620000018';
export const FINESS_C = '620000026';

export const IBAN = 'FR7630006000011234567890189';
export const BIC = 'BNPAFRPPXXX';

export const pdf = (label: string): Buffer =>
  Buffer.from(`%PDF-1.4\n% ${label}\n1 0 obj <<>> endobj\n%%EOF\n`);

export const enrolment = (numeroAns: string) => ({
  numeroAns,
  denominationSociale: 'PHARMACIE DU CENTRE',
  adresse: { ligne: '1 place de la Mairie', codePostal: '62000', commune: 'ARRAS' },
  email: 'contact@pharmacie.example',
  iban: IBAN,
  bic: BIC,
});

export const avanceLine = (numLigne: number, over: Record<string, unknown> = {}) => ({
  numLigne,
  typeAction: 'C',
  numeroEditeur: '00001',
  bonDeCommande: { dateBonDeCommande: '10/01/2023', montantSegurHTBonDeCommande: 1000.0 },
  beneficiaire: OFFICINE.finess,
  contactSupport: 'support@editeur.example',
  piecesJustificatives: [],
  ...over,
});

export const avanceFile = (lines: unknown[], who: { siret: string; numeroAns: string } = OFFICINE) => ({
  impId: null,
  numeroAns: who.numeroAns,
  siret: who.siret,
  lignesImport: lines,
});

export const SOLDE_PIECES = [
  { type: 'VA', nomFichier: 'PHA-LGO-Va1-VA-00001.pdf' },
  { type: 'FACTURE', nomFichier: 'FACTURE-00001.pdf' },
];

export const soldeLine = (numLigne: number, numeroASP: string, over: Record<string, unknown> = {}) => ({
  numLigne,
  typeAction: 'C',
  numeroASP,
  numeroEditeur: '00001',
  facture: { dateFacture: '15/05/2022', montantSegurHTFacture: 1000.0 },
  beneficiaire: OFFICINE.finess,
  piecesJustificatives: SOLDE_PIECES,
  scenariosEffectivementInstalles: {
    hasBALMSSantePersonnelle: true,
    operateurMessagerie: 'GIP_9',
    certificatDMP: 'HJKJSDS1234',
    certificatINSi: 'POUIPOU005',
  },
  ...over,
});

export const soldeFile = avanceFile;

/** A multipart import: part `file` + one part per piece, named by its nomFichier. */
export const postMultipart = (
  http: TestAgent,
  path: string,
  token: string,
  file: unknown,
  pieces: Record<string, Buffer>,
) => {
  let r = http
    .post(path)
    .set('Authorization', `Bearer ${token}`)
    .attach('file', Buffer.from(JSON.stringify(file)), {
      filename: 'import.json',
      contentType: 'application/json',
    });
  for (const [name, bytes] of Object.entries(pieces))
    r = r.attach(name, bytes, { filename: name, contentType: 'application/pdf' });
  return r;
};

export const soldePieces = (): Record<string, Buffer> => ({
  'PHA-LGO-Va1-VA-00001.pdf': pdf('VA'),
  'FACTURE-00001.pdf': pdf('facture'),
});

export const enrol = async (http: TestAgent, token: string, who: { siret: string; numeroAns: string }) => {
  const r = await http
    .put(`/api/v1/fournisseurs/${who.siret}`)
    .set('Authorization', `Bearer ${token}`)
    .send(enrolment(who.numeroAns));
  if (r.status !== 201 && r.status !== 200)
    throw new Error(`enrolment failed: ${r.status} ${JSON.stringify(r.body)}`);
};

/** Imports one avance line and records its payment; returns the numéro ASP. */
export const paidAvance = async (
  http: TestAgent,
  tokens: { fournisseur: string; gestionnaire: string },
  line: Record<string, unknown> = avanceLine(1),
  who: { siret: string; numeroAns: string } = OFFICINE,
  pay = true,
): Promise<string> => {
  const r = await http
    .post('/api/v1/imports/avance')
    .set('Authorization', `Bearer ${tokens.fournisseur}`)
    .send(avanceFile([line], who));
  const numero = (r.body as { lines?: Array<{ numeroASP: string }> }).lines?.[0]?.numeroASP;
  if (r.status !== 201 || !numero)
    throw new Error(`avance import failed: ${r.status} ${JSON.stringify(r.body)}`);
  if (pay) {
    const p = await http
      .post(`/api/v1/dossiers/${numero}/avance/paiement`)
      .set('Authorization', `Bearer ${tokens.gestionnaire}`)
      .send({});
    if (p.status !== 200) throw new Error(`avance payment failed: ${p.status} ${JSON.stringify(p.body)}`);
  }
  return numero;
};
