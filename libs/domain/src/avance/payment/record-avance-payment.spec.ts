import {
  command,
  ACTORS,
  POULAT,
  poulatAvanceImported,
  poulatAvancePaid,
  POULAT_SOLDE_EN_COURS,
} from '../../testing/seed-fixtures';
import { given } from '../../testing/given-when-then';

const recordAvancePayment = (
  at: string,
  data: { datePaiement?: string; montantCents?: number } = {},
  numeroAsp: string = POULAT.numeroAsp,
) =>
  command(
    'RecordAvancePayment',
    { numeroAsp, datePaiement: data.datePaiement ?? null, montantCents: data.montantCents ?? null },
    ACTORS.gestionnaire,
    at,
  );

describe('RecordAvancePayment', () => {
  it('PAY-1: records 30% of the avance total by default, dated on the Paris calendar: statut PAIEMENT_EFFECTUE', () => {
    // 23:30 UTC on 31 January is already 1 February in Paris.
    const at = '2023-01-31T23:30:00.000Z';
    const state = given(poulatAvanceImported)
      .when(recordAvancePayment(at))
      .then({
        type: 'AvancePaymentRecorded',
        data: {
          numeroAsp: POULAT.numeroAsp,
          datePaiement: '2023-02-01',
          montantCents: 3_000_000,
          recordedAt: at,
        },
      });
    expect(state).toMatchObject({ phase: 'AVANCE', statut: 'PAIEMENT_EFFECTUE', statusChangedAt: at });
  });

  it('PAY-1: rounds the default 30% to the cent', () => {
    const events = given({
      ...poulatAvanceImported,
      data: {
        ...poulatAvanceImported.data,
        bonDeCommande: { dateBonDeCommande: '2023-01-10', montantCents: 100_001 },
      },
    })
      .when(recordAvancePayment('2023-02-01T10:00:00.000Z'))
      .events();
    expect(events[0]).toMatchObject({ data: { montantCents: 30_000 } });
  });

  it('PAY-1: records the amount and date given by the gestionnaire instead of the defaults', () => {
    const at = '2023-02-01T10:00:00.000Z';
    given(poulatAvanceImported)
      .when(recordAvancePayment(at, { datePaiement: '2023-01-30', montantCents: 0 }))
      .then({
        type: 'AvancePaymentRecorded',
        data: { numeroAsp: POULAT.numeroAsp, datePaiement: '2023-01-30', montantCents: 0, recordedAt: at },
      });
  });

  it('PAY-3: refuses MONTANT_INVALIDE a negative or fractional amount, naming the montant field', () => {
    const refusal = {
      code: 'MONTANT_INVALIDE',
      message: 'le montant payé doit être positif ou nul, en centimes',
      path: 'montant',
    };
    expect(
      given(poulatAvanceImported)
        .when(recordAvancePayment('2023-02-01T10:00:00.000Z', { montantCents: -1 }))
        .thenFails('MONTANT_INVALIDE'),
    ).toEqual(refusal);
    expect(
      given(poulatAvanceImported)
        .when(recordAvancePayment('2023-02-01T10:00:00.000Z', { montantCents: 10.5 }))
        .thenFails('MONTANT_INVALIDE'),
    ).toEqual(refusal);
  });

  it('PAY-1: refuses AVANCE_DEJA_PAYEE a second payment, also once the solde is imported', () => {
    given(poulatAvanceImported, poulatAvancePaid)
      .when(recordAvancePayment('2023-02-02T10:00:00.000Z'))
      .thenFails('AVANCE_DEJA_PAYEE');
    given(...POULAT_SOLDE_EN_COURS)
      .when(recordAvancePayment('2023-03-02T10:00:00.000Z'))
      .thenFails('AVANCE_DEJA_PAYEE');
  });

  it('DOS-2: refuses DOSSIER_INCONNU a payment on a dossier never imported', () => {
    given()
      .when(recordAvancePayment('2023-02-01T10:00:00.000Z', {}, 'FINSAS000001'))
      .thenFails('DOSSIER_INCONNU');
  });
});
