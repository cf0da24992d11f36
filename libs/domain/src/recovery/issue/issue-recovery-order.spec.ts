import { given } from '../../testing/given-when-then';
import {
  ACTORS,
  command,
  event,
  POULAT,
  POULAT_AT,
  POULAT_SOLDE_EN_COURS,
  poulatAvanceImported,
  poulatAvancePaid,
  poulatSoldeValidated,
} from '../../testing/seed-fixtures';

const AT = '2024-03-01T10:00:00.000Z';
const validated = poulatSoldeValidated;
const paid = event('SoldePaymentRecorded', {
  numeroAsp: POULAT.numeroAsp,
  datePaiement: '2023-09-04',
  montantCents: 7_000_000,
  recordedAt: POULAT_AT.soldePayment,
});
const issue = (montantCents: number, motif = 'VA irrégulière constatée lors du contrôle a posteriori') =>
  command(
    'IssueRecoveryOrder',
    { numeroAsp: POULAT.numeroAsp, montantCents, motif },
    ACTORS.gestionnaire,
    AT,
  );

describe('IssueRecoveryOrder', () => {
  it('REC-1: records an ordre de recouvrement on a paid solde after an a posteriori control', () => {
    const state = given(...POULAT_SOLDE_EN_COURS, validated, paid)
      .when(issue(7_000_000))
      .then(
        event('RecoveryOrderIssued', {
          numeroAsp: POULAT.numeroAsp,
          montantCents: 7_000_000,
          motif: 'VA irrégulière constatée lors du contrôle a posteriori',
          issuedBy: ACTORS.gestionnaire.id,
          issuedAt: AT,
        }),
      );
    expect(state.recoveryOrders).toHaveLength(1);
    expect(state.statut).toBe('PAIEMENT_EFFECTUE');
  });

  it('REC-1: records an ordre de recouvrement on a validated solde', () => {
    given(...POULAT_SOLDE_EN_COURS, validated)
      .when(issue(100))
      .then(
        event('RecoveryOrderIssued', {
          numeroAsp: POULAT.numeroAsp,
          montantCents: 100,
          motif: 'VA irrégulière constatée lors du contrôle a posteriori',
          issuedBy: ACTORS.gestionnaire.id,
          issuedAt: AT,
        }),
      );
  });

  it.each([0, -1, -7_000_000, 1.5, Number.MAX_SAFE_INTEGER + 1])(
    'REC-2: refuses MONTANT_INVALIDE the amount %p (zero, negative or not a whole number of cents)',
    (montantCents) => {
      expect(
        given(...POULAT_SOLDE_EN_COURS, validated)
          .when(issue(montantCents))
          .thenFails('MONTANT_INVALIDE'),
      ).toEqual({
        code: 'MONTANT_INVALIDE',
        message: 'le montant à recouvrer doit être strictement positif',
        path: 'montant',
      });
    },
  );

  it('REC-2: accepts the smallest positive amount, one cent', () => {
    expect(
      given(...POULAT_SOLDE_EN_COURS, validated)
        .when(issue(1))
        .events(),
    ).toHaveLength(1);
  });

  it.each(['', '   ', '\t\n '])('REC-2: refuses MOTIF_OBLIGATOIRE the blank motif %j', (motif) => {
    expect(
      given(...POULAT_SOLDE_EN_COURS, validated)
        .when(issue(100, motif))
        .thenFails('MOTIF_OBLIGATOIRE'),
    ).toEqual({
      code: 'MOTIF_OBLIGATOIRE',
      message: "le motif de l'ordre de recouvrement est obligatoire",
      path: 'motif',
    });
  });

  it('REC-2: records the motif without its surrounding blanks', () => {
    given(...POULAT_SOLDE_EN_COURS, validated)
      .when(issue(100, '  VA irrégulière  '))
      .then(
        event('RecoveryOrderIssued', {
          numeroAsp: POULAT.numeroAsp,
          montantCents: 100,
          motif: 'VA irrégulière',
          issuedBy: ACTORS.gestionnaire.id,
          issuedAt: AT,
        }),
      );
  });

  it('REC-1: refuses STATUT_INCOMPATIBLE a paid avance: « Paiement effectué » counts only in phase SOLDE', () => {
    expect(
      given(poulatAvanceImported, poulatAvancePaid).when(issue(100)).thenFails('STATUT_INCOMPATIBLE').message,
    ).toBe(
      "Émission d'un ordre de recouvrement impossible : la demande d'avance est au statut « Paiement effectué » ; il faut une demande de solde « Validée » ou « Paiement effectué »",
    );
  });

  it('REC-1: refuses STATUT_INCOMPATIBLE before the solde is validated', () => {
    given(...POULAT_SOLDE_EN_COURS)
      .when(issue(100))
      .thenFails('STATUT_INCOMPATIBLE');
  });
});
