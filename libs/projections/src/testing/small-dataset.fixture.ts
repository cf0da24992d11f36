import type { Fournisseur } from '../read-models/fournisseurs/fournisseurs.read-model';
import {
  POULAT_FOURNISSEUR,
  poulatEditContact,
  poulatRequestM1,
  poulatSubmit,
  poulatUntilSolde,
  type Step,
} from './garage-poulat.fixture';

export const SIRET_A = '79256844600019';
export const SIRET_B = '80125271900415';

export const FOURNISSEUR_B: Fournisseur = {
  ...POULAT_FOURNISSEUR,
  siret: SIRET_B,
  numeroAns: 'zbuPHA0005',
  denominationSociale: 'PHARMA LOGICIELS',
  adresse: { ligne: '1 rue de la Paix', codePostal: '75002', commune: 'PARIS' },
};

const system = { id: 'system', role: 'system' };
const gest = { id: 'gest-1', role: 'gestionnaire' };

const withData = (s: Step, data: Record<string, unknown>): Step =>
  ({ ...s, event: { ...s.event, data: { ...s.event.data, ...data } } }) as Step;

/**
 * Six dossiers, two fournisseurs, three couloirs, every round outcome:
 * D1 SAS A_MODIFIER (round open, expired on 27/08/2023: overdue on 01/09/2023) · D2 SAS submitted
 * after 54 h · D3 PHA submitted after 24 h then VALIDEE · D4 PHA avance only · D5 SAS declined ·
 * D6 MSS expired.
 */
export const smallDataset = (): Step[] => {
  const d1 = 'FINSAS000001';
  const d2 = 'FINSAS000002';
  const d3 = 'FINPHA000003';
  const d4 = 'FINPHA000004';
  const d5 = 'FINSAS000005';
  const d6 = 'FINMSS000006';
  return [
    ...poulatUntilSolde(d1, SIRET_A),
    ...poulatRequestM1(d1),
    ...poulatUntilSolde(d2, SIRET_A),
    ...poulatRequestM1(d2),
    ...poulatEditContact(d2),
    ...poulatSubmit(d2),
    ...poulatUntilSolde(d3, SIRET_B),
    ...poulatRequestM1(d3),
    withData(poulatSubmit(d3)[0]!, { submittedAt: '2023-08-08T08:00:00.000Z', changes: [], piecesAdded: [] }),
    {
      actor: gest,
      event: {
        type: 'SoldeValidated',
        data: {
          numeroAsp: d3,
          engagementRetenuCents: 10_000_000,
          soldeDecideCents: 7_000_000,
          decisionModificative: null,
          gestionnaireId: gest.id,
          validatedAt: '2023-09-15T10:00:00.000Z',
        },
      },
    },
    poulatUntilSolde(d4, SIRET_B)[0]!,
    ...poulatUntilSolde(d5, SIRET_B),
    ...poulatRequestM1(d5),
    {
      actor: { id: 'four-2', role: 'fournisseur' },
      event: {
        type: 'ModificationDeclined',
        data: {
          numeroAsp: d5,
          version: 'M1',
          declinedBy: 'fournisseur',
          declinedAt: '2023-08-10T08:00:00.000Z',
        },
      },
    },
    ...poulatUntilSolde(d6, SIRET_A),
    ...poulatRequestM1(d6),
    {
      actor: system,
      event: {
        type: 'ModificationExpired',
        data: { numeroAsp: d6, version: 'M1', expiredAt: '2023-08-27T08:00:00.000Z' },
      },
    },
  ];
};
