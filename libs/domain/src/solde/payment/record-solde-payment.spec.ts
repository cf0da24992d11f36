import { given } from '../../testing/given-when-then';
import {
  ACTORS,
  command,
  event,
  POULAT,
  POULAT_AT,
  POULAT_SOLDE_EN_COURS,
  poulatSoldeValidated,
} from '../../testing/seed-fixtures';

const validated = poulatSoldeValidated;
const VALIDEE = [...POULAT_SOLDE_EN_COURS, validated];
const pay = (
  at: string = POULAT_AT.soldePayment,
  data: { datePaiement?: string; montantCents?: number } = {},
) =>
  command(
    'RecordSoldePayment',
    {
      numeroAsp: POULAT.numeroAsp,
      datePaiement: data.datePaiement ?? null,
      montantCents: data.montantCents ?? null,
    },
    ACTORS.gestionnaire,
    at,
  );

describe('RecordSoldePayment', () => {
  it('PAY-2: records the solde décidé paid on the Paris date of the command by default: PAIEMENT_EFFECTUE', () => {
    const state = given(...VALIDEE)
      .when(pay())
      .then(
        event('SoldePaymentRecorded', {
          numeroAsp: POULAT.numeroAsp,
          datePaiement: '2023-09-04',
          montantCents: 7_000_000,
          recordedAt: POULAT_AT.soldePayment,
        }),
      );
    expect(state).toMatchObject({ phase: 'SOLDE', statut: 'PAIEMENT_EFFECTUE' });
  });

  it('PAY-2: records the amount and date given by the gestionnaire', () => {
    const [paid] = given(...VALIDEE)
      .when(pay(POULAT_AT.soldePayment, { datePaiement: '2023-09-01', montantCents: 6_999_999 }))
      .events();
    expect(paid).toMatchObject({ data: { datePaiement: '2023-09-01', montantCents: 6_999_999 } });
  });

  it('PAY-3: refuses MONTANT_INVALIDE a negative amount', () => {
    given(...VALIDEE)
      .when(pay(POULAT_AT.soldePayment, { montantCents: -5 }))
      .thenFails('MONTANT_INVALIDE');
  });

  it('PAY-2: refuses STATUT_INCOMPATIBLE unless the solde is VALIDEE (EN_COURS, already paid)', () => {
    expect(
      given(...POULAT_SOLDE_EN_COURS)
        .when(pay())
        .thenFails('STATUT_INCOMPATIBLE').message,
    ).toBe(
      'Enregistrement du paiement du solde impossible : la demande de solde est au statut « En cours » ; il faut une demande de solde « Validée »',
    );
    const paid = given(...VALIDEE)
      .when(pay())
      .events();
    given(...VALIDEE, ...paid)
      .when(pay('2023-09-05T09:00:00.000Z'))
      .thenFails('STATUT_INCOMPATIBLE');
  });
});
