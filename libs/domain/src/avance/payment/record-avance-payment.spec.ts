import {
  command,
  ACTORS,
  POULAT,
  poulatAvanceImported,
  poulatAvancePaid,
  poulatModificationRequested,
  poulatSoldeImported,
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

  // Evolve loads any stream and leaves consistency to the decider: an unpaid avance that is not an
  // avance EN_COURS comes only from a stream the decider does not produce, and is refused all the same.
  describe('PAY-1: refuses STATUT_INCOMPATIBLE an unpaid avance unless it is an avance EN_COURS', () => {
    it('a solde EN_COURS recorded over an unpaid avance: the phase alone refuses', () => {
      const odd = given(poulatAvanceImported, poulatSoldeImported);
      expect(odd.state()).toMatchObject({ phase: 'SOLDE', statut: 'EN_COURS', avance: { payment: null } });
      expect(
        odd.when(recordAvancePayment('2023-02-20T10:00:00.000Z')).thenFails('STATUT_INCOMPATIBLE'),
      ).toEqual({
        code: 'STATUT_INCOMPATIBLE',
        message:
          "Enregistrement du paiement de l'avance impossible : la demande de solde est au statut « En cours » ; il faut une demande d'avance « En cours »",
      });
    });

    it('an avance phase no longer EN_COURS: the statut alone refuses', () => {
      const odd = given(poulatAvanceImported, poulatModificationRequested);
      expect(odd.state()).toMatchObject({ phase: 'AVANCE', statut: 'A_MODIFIER', avance: { payment: null } });
      expect(
        odd.when(recordAvancePayment('2023-08-08T10:00:00.000Z')).thenFails('STATUT_INCOMPATIBLE').message,
      ).toBe(
        "Enregistrement du paiement de l'avance impossible : la demande d'avance est au statut « A modifier » ; il faut une demande d'avance « En cours »",
      );
    });
  });

  it('DOS-2: refuses DOSSIER_INCONNU a payment on a dossier never imported', () => {
    given()
      .when(recordAvancePayment('2023-02-01T10:00:00.000Z', {}, 'FINSAS000001'))
      .thenFails('DOSSIER_INCONNU');
  });
});
