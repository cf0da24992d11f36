import { createHash } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import { dossierStreamId, type DossierCommand, type PieceRef } from '@segur/domain';
import { CommandPipeline } from '@segur/commands';
import type { Infrastructure } from '@segur/platform';

export const GARAGE_POULAT = {
  numeroAsp: 'FINSAS008539',
  siret: '79256844600019',
  numeroAns: 'pbrSAS0012',
  denominationSociale: 'GARAGE POULAT',
  contact: 'pascal.breton@axyus.com',
  beneficiaire: '620006494',
};

export const piece = (type: string, nomFichier: string): PieceRef => ({
  pieceId: uuidv7(),
  type,
  nomFichier,
  taille: 1234,
  sha256: createHash('sha256').update(nomFichier).digest('hex'),
});

const system = { id: 'seed', role: 'assistance' as const };

export interface SeedOptions {
  numeroAsp?: string;
  siret?: string;
  numeroAns?: string;
  montantAvanceCents?: number;
  montantSoldeCents?: number;
  beneficiaireAvance?: string;
  beneficiaireSolde?: string;
  beneficiaireHistorique?: string | null;
}

/** Avance imported and paid, solde imported with its pieces: a dossier `EN_COURS` in phase SOLDE. */
export const seedSoldeEnCours = async (
  infra: Infrastructure,
  o: SeedOptions = {},
): Promise<{ numeroAsp: string; pieces: PieceRef[]; position: string | null }> => {
  const numeroAsp = o.numeroAsp ?? GARAGE_POULAT.numeroAsp;
  const siret = o.siret ?? GARAGE_POULAT.siret;
  const numeroAns = o.numeroAns ?? GARAGE_POULAT.numeroAns;
  const at = new Date().toISOString();
  const pipeline = new CommandPipeline(infra);
  const exec = (command: DossierCommand) =>
    pipeline.execute(command, {
      commandId: uuidv7(),
      correlationId: `seed-${numeroAsp}`,
      causationId: null,
    });
  await exec({
    type: 'ImportAvance',
    actor: system,
    at,
    data: {
      numeroAsp,
      couloir: numeroAsp.slice(3, 6),
      numeroAns,
      siret,
      importId: uuidv7(),
      numLigne: 1,
      numeroEditeur: '00001',
      bonDeCommande: { dateBonDeCommande: '2023-01-10', montantCents: o.montantAvanceCents ?? 10_000_000 },
      beneficiaire: o.beneficiaireAvance ?? GARAGE_POULAT.beneficiaire,
      contactSupport: GARAGE_POULAT.contact,
      pieces: [piece('AUTRE_S', 'PJ_Demande.pdf')],
      contentHash: `avance-${numeroAsp}`,
    },
  });
  await exec({
    type: 'RecordAvancePayment',
    actor: { id: 'g1', role: 'gestionnaire' },
    at,
    data: { numeroAsp, datePaiement: null, montantCents: null },
  });
  const pieces = [
    piece('MSS_RESU_TEST_TECH', 'capture-ecran-au-depot.pdf'),
    piece('decision_attribution', 'decision-attribution-finmss009266.pdf'),
    piece('VA', 'PHA-LGO-Va1-VA-00001.pdf'),
    piece('FACTURE', 'facture.pdf'),
  ];
  const solde = await exec({
    type: 'ImportSolde',
    actor: system,
    at,
    data: {
      numeroAsp,
      siret,
      numeroAns,
      importId: uuidv7(),
      numLigne: 1,
      numeroEditeur: '00001',
      facture: { dateFacture: '2023-02-15', montantCents: o.montantSoldeCents ?? 10_000_000 },
      beneficiaire: o.beneficiaireSolde ?? GARAGE_POULAT.beneficiaire,
      beneficiaireHistorique: o.beneficiaireHistorique ?? null,
      contactSupport: null,
      pieces,
      scenariosEffectivementInstalles: null,
      contentHash: `solde-${numeroAsp}`,
    },
  });
  // The solde's own position, for X-Min-Position: the store's head only counts transactions older
  // than the oldest one running anywhere on the server, so it can lag behind this dossier.
  return { numeroAsp, pieces, position: solde.position };
};

export const eventCount = async (infra: Infrastructure, numeroAsp: string): Promise<number> =>
  (await infra.store.readStream(dossierStreamId(numeroAsp))).length;
