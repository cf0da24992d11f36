import { dossierStreamId, type DossierEvent, type PieceRef } from '@segur/domain';
import type { EventStore, NewEvent } from '@segur/event-store';
import type { Fournisseur } from '../read-models/fournisseurs/fournisseurs.read-model';

// The seed's dossier (000_aa7c421638ede6b6.txt): GARAGE POULAT, couloir SAS, solde in A_MODIFIER.
export const POULAT = {
  numeroAsp: 'FINSAS008539',
  siret: '79256844600019',
  numeroAns: 'pbrSAS0012',
  contact: 'pascal.breton@axyus.com',
  commentaire: 'test modif',
} as const;

export const POULAT_FOURNISSEUR: Fournisseur = {
  siret: POULAT.siret,
  numeroAns: POULAT.numeroAns,
  denominationSociale: 'GARAGE POULAT',
  adresse: { ligne: '0 cour DE MONS', codePostal: '59650', commune: 'VILLENEUVE D ASCQ' },
  email: 'contact@garage-poulat.fr',
  iban: 'FR7630006000011234567890189',
  bic: 'AGRIFRPPXXX',
};

export const piece = (pieceId: string, type: string, nomFichier: string): PieceRef => ({
  pieceId,
  type,
  nomFichier,
  taille: 1024,
  sha256: pieceId.padEnd(64, '0'),
});

const gestionnaire = { id: 'gest-1', role: 'gestionnaire' };
const fournisseurActor = { id: 'four-1', role: 'fournisseur' };
const systemActor = { id: 'system', role: 'system' };

export const meta = (actor: { id: string; role: string }) => ({
  actor,
  correlationId: 'corr-test',
  causationId: null,
});

export type Step = { event: DossierEvent; actor: { id: string; role: string } };

const ev = (event: DossierEvent, actor = systemActor): Step => ({ event, actor });

/** Avance imported, paid 0,00 (as the seed shows), solde imported 16/02/2023. */
export const poulatUntilSolde = (
  numeroAsp: string = POULAT.numeroAsp,
  siret: string = POULAT.siret,
): Step[] => [
  ev(
    {
      type: 'AvanceImported',
      data: {
        numeroAsp,
        couloir: numeroAsp.slice(3, 6),
        numeroAns: POULAT.numeroAns,
        siret,
        importId: `imp-a-${numeroAsp}`,
        numLigne: 1,
        numeroEditeur: '00001',
        bonDeCommande: { dateBonDeCommande: '2023-01-10', montantCents: 10_000_000 },
        beneficiaire: '620006494',
        contactSupport: POULAT.contact,
        pieces: [piece('p-avance', 'AUTRE_S', 'PJ_Demande.pdf')],
        contentHash: 'h-avance',
        importedAt: '2023-01-12T09:00:00.000Z',
      },
    },
    fournisseurActor,
  ),
  ev(
    {
      type: 'AvancePaymentRecorded',
      data: {
        numeroAsp,
        datePaiement: '2023-01-20',
        montantCents: 0,
        recordedAt: '2023-01-20T10:00:00.000Z',
      },
    },
    gestionnaire,
  ),
  ev(
    {
      type: 'SoldeImported',
      data: {
        numeroAsp,
        siret,
        numeroAns: POULAT.numeroAns,
        importId: `imp-s-${numeroAsp}`,
        numLigne: 1,
        numeroEditeur: '00001',
        facture: { dateFacture: '2023-02-10', montantCents: 10_000_000 },
        beneficiaire: '620006494',
        beneficiaireHistorique: null,
        champs: { contactSupport: POULAT.contact },
        pieces: [
          piece('p-va', 'VA', 'PHA-LGO-Va1-VA-00001.pdf'),
          piece('p-facture', 'FACTURE', 'facture.pdf'),
        ],
        scenariosEffectivementInstalles: null,
        contentHash: 'h-solde',
        importedAt: '2023-02-16T10:00:00.000Z',
      },
    },
    fournisseurActor,
  ),
];

/** Gestionnaire asks for a modification on 07/08/2023 ("test modif"), the invitation email goes out. */
export const poulatRequestM1 = (numeroAsp: string = POULAT.numeroAsp): Step[] => [
  ev(
    {
      type: 'ModificationRequested',
      data: {
        numeroAsp,
        version: 'M1',
        round: 1,
        commentaire: POULAT.commentaire,
        gestionnaireId: gestionnaire.id,
        requestedAt: '2023-08-07T08:00:00.000Z',
        reminderDueAt: '2023-08-17T08:00:00.000Z',
        expiresAt: '2023-08-27T08:00:00.000Z',
      },
    },
    gestionnaire,
  ),
  ev({
    type: 'EmailSent',
    data: {
      numeroAsp,
      causationEventId: 'evt-request',
      template: 'MODIFICATION_DEMANDEE',
      to: 'contact@garage-poulat.fr',
      subject: 'Votre demande de solde FINSAS008539 est à modifier',
      messageId: '<m1@test>',
      sentAt: '2023-08-07T08:00:05.000Z',
    },
  }),
];

export const poulatEditContact = (numeroAsp: string = POULAT.numeroAsp): Step[] => [
  ev(
    {
      type: 'ModificationDraftEdited',
      data: {
        numeroAsp,
        version: 'M1',
        field: 'contactSupport',
        from: POULAT.contact,
        to: 'test123@gmail.com',
        editedAt: '2023-08-08T09:00:00.000Z',
      },
    },
    fournisseurActor,
  ),
  ev(
    {
      type: 'PieceAdded',
      data: {
        numeroAsp,
        version: 'M1',
        piece: piece('p-m1', 'AUTRE_S', 'complement.pdf'),
        addedAt: '2023-08-08T09:05:00.000Z',
      },
    },
    fournisseurActor,
  ),
];

export const poulatSubmit = (numeroAsp: string = POULAT.numeroAsp): Step[] => [
  ev(
    {
      type: 'ModificationSubmitted',
      data: {
        numeroAsp,
        version: 'M1',
        changes: [{ field: 'contactSupport', from: POULAT.contact, to: 'test123@gmail.com' }],
        piecesAdded: [piece('p-m1', 'AUTRE_S', 'complement.pdf')],
        submittedAt: '2023-08-09T14:00:00.000Z',
      },
    },
    fournisseurActor,
  ),
];

export const appendSteps = async (store: EventStore, steps: readonly Step[]): Promise<string> => {
  let last = '';
  for (const s of steps) {
    const streamId = dossierStreamId(s.event.data.numeroAsp);
    const event: NewEvent = { type: s.event.type, data: s.event.data, metadata: meta(s.actor) };
    const r = await store.appendToStream(streamId, [event], { expectedVersion: 'any' });
    last = r.lastPosition;
  }
  return last;
};
