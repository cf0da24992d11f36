import { given } from '../../testing/given-when-then';
import {
  event,
  importSoldeOfficine,
  OFFICINE,
  OFFICINE_AT,
  OFFICINE_AVANCE_PAYEE,
  officineSoldeImported,
  POULAT,
  POULAT_A_MODIFIER,
  POULAT_AT,
  POULAT_SOLDE_EN_COURS,
  poulatAvanceImported,
  poulatSoldeImported,
  validateSolde,
  ACTORS,
} from '../../testing/seed-fixtures';

const poulatWithTotal = (montantCents: number) => [
  ...POULAT_SOLDE_EN_COURS.slice(0, 2),
  event('SoldeImported', {
    ...poulatSoldeImported.data,
    facture: { dateFacture: '2023-02-10', montantCents },
  }),
];

describe('ValidateSolde', () => {
  it('VAL-3: nothing differs from the avance: engagement retenu = total, solde décidé = 70%, no décision modificative', () => {
    const state = given(...POULAT_SOLDE_EN_COURS)
      .when(validateSolde(POULAT.numeroAsp, POULAT_AT.validation))
      .then(
        event('SoldeValidated', {
          numeroAsp: POULAT.numeroAsp,
          engagementRetenuCents: 10_000_000,
          soldeDecideCents: 7_000_000,
          decisionModificative: null,
          gestionnaireId: ACTORS.gestionnaire.id,
          validatedAt: POULAT_AT.validation,
        }),
      );
    expect(state).toMatchObject({ statut: 'VALIDEE', statusChangedAt: POULAT_AT.validation });
  });

  it('VAL-3: the 70% default and the 30% avance add up to the total, to the cent', () => {
    const [validated] = given(...poulatWithTotal(10_000_000))
      .when(validateSolde(POULAT.numeroAsp, POULAT_AT.validation))
      .events();
    expect(validated).toMatchObject({ data: { soldeDecideCents: 7_000_000 } });
  });

  it('VAL-3: a revised total: engagement = revised total, solde décidé = revised total − avance paid, décision modificative lists the total', () => {
    const [validated] = given(...poulatWithTotal(9_000_000))
      .when(validateSolde(POULAT.numeroAsp, POULAT_AT.validation))
      .events();
    expect(validated).toMatchObject({
      data: {
        engagementRetenuCents: 9_000_000,
        soldeDecideCents: 6_000_000,
        decisionModificative: {
          differences: [{ champ: 'montantTotalHT', avance: '100000,00', solde: '90000,00' }],
        },
      },
    });
  });

  it('VAL-3: a total revised below the avance paid proposes no solde (recovery is a separate decision)', () => {
    const [validated] = given(...poulatWithTotal(2_000_000))
      .when(validateSolde(POULAT.numeroAsp, POULAT_AT.validation))
      .events();
    expect(validated).toMatchObject({ data: { engagementRetenuCents: 2_000_000, soldeDecideCents: 0 } });
  });

  it('VAL-4: the amounts recorded by the gestionnaire override the proposal', () => {
    const [validated] = given(...POULAT_SOLDE_EN_COURS)
      .when(
        validateSolde(POULAT.numeroAsp, POULAT_AT.validation, {
          engagementRetenuCents: 9_500_000,
          soldeDecideCents: 6_500_000,
        }),
      )
      .events();
    expect(validated).toMatchObject({
      data: { engagementRetenuCents: 9_500_000, soldeDecideCents: 6_500_000 },
    });
  });

  it('VAL-2: Officine case 1: same perimeter, validated without décision modificative', () => {
    const [validated] = given(...OFFICINE_AVANCE_PAYEE, officineSoldeImported())
      .when(validateSolde(OFFICINE.numeroAsp, OFFICINE_AT.validation))
      .events();
    expect(validated).toMatchObject({
      data: { engagementRetenuCents: 100_000, soldeDecideCents: 70_000, decisionModificative: null },
    });
  });

  it('VAL-2: Officine A → B: validated with a décision modificative listing the beneficiary difference', () => {
    const aToB = officineSoldeImported(
      importSoldeOfficine({
        beneficiaire: OFFICINE.autreBeneficiaire,
        beneficiaireHistorique: OFFICINE.beneficiaire,
      }),
    );
    given(...OFFICINE_AVANCE_PAYEE, aToB)
      .when(validateSolde(OFFICINE.numeroAsp, OFFICINE_AT.validation))
      .then(
        event('SoldeValidated', {
          numeroAsp: OFFICINE.numeroAsp,
          engagementRetenuCents: 100_000,
          soldeDecideCents: 70_000,
          decisionModificative: {
            differences: [
              { champ: 'beneficiaire', avance: OFFICINE.beneficiaire, solde: OFFICINE.autreBeneficiaire },
            ],
          },
          gestionnaireId: ACTORS.gestionnaire.id,
          validatedAt: OFFICINE_AT.validation,
        }),
      );
  });

  describe('VAL-4: the amounts are whole cents, zero or more, the solde décidé at most the engagement', () => {
    const when = (amounts: { engagementRetenuCents?: number; soldeDecideCents?: number }) =>
      given(...POULAT_SOLDE_EN_COURS).when(validateSolde(POULAT.numeroAsp, POULAT_AT.validation, amounts));
    const ENGAGEMENT_INVALIDE = {
      code: 'MONTANT_INVALIDE',
      message: "l'engagement retenu doit être un montant positif ou nul",
      path: 'engagementRetenu',
    };
    const SOLDE_INVALIDE = {
      code: 'MONTANT_INVALIDE',
      message: "le solde décidé doit être un montant positif ou nul, au plus égal à l'engagement retenu",
      path: 'soldeDecide',
    };

    it('accepts zero for both amounts', () => {
      const [validated] = when({ engagementRetenuCents: 0, soldeDecideCents: 0 }).events();
      expect(validated).toMatchObject({ data: { engagementRetenuCents: 0, soldeDecideCents: 0 } });
    });

    it('refuses an engagement of −1 cent, naming the engagement', () => {
      expect(when({ engagementRetenuCents: -1 }).thenFails('MONTANT_INVALIDE')).toEqual(ENGAGEMENT_INVALIDE);
    });

    it('refuses a fractional engagement even when the solde décidé fits under it', () => {
      expect(when({ engagementRetenuCents: 0.5, soldeDecideCents: 0 }).thenFails('MONTANT_INVALIDE')).toEqual(
        ENGAGEMENT_INVALIDE,
      );
    });

    it('refuses a solde décidé of −1 cent, naming the solde décidé', () => {
      expect(when({ soldeDecideCents: -1 }).thenFails('MONTANT_INVALIDE')).toEqual(SOLDE_INVALIDE);
    });

    it('refuses a fractional solde décidé', () => {
      expect(when({ soldeDecideCents: 0.5 }).thenFails('MONTANT_INVALIDE')).toEqual(SOLDE_INVALIDE);
    });

    it('accepts a solde décidé equal to the engagement, refuses one cent more', () => {
      const [validated] = when({ engagementRetenuCents: 100, soldeDecideCents: 100 }).events();
      expect(validated).toMatchObject({ data: { engagementRetenuCents: 100, soldeDecideCents: 100 } });
      expect(
        when({ engagementRetenuCents: 100, soldeDecideCents: 101 }).thenFails('MONTANT_INVALIDE'),
      ).toEqual(SOLDE_INVALIDE);
    });
  });

  it('VAL-1: the refusal says where the dossier stands and what validation needs', () => {
    expect(
      given(...POULAT_A_MODIFIER)
        .when(validateSolde(POULAT.numeroAsp, POULAT_AT.validation))
        .thenFails('STATUT_INCOMPATIBLE').message,
    ).toBe(
      'Validation impossible : la demande de solde est au statut « A modifier » ; il faut une demande de solde « En cours »',
    );
    expect(
      given(poulatAvanceImported)
        .when(validateSolde(POULAT.numeroAsp, POULAT_AT.validation))
        .thenFails('STATUT_INCOMPATIBLE').message,
    ).toBe(
      "Validation impossible : la demande d'avance est au statut « En cours » ; il faut une demande de solde « En cours »",
    );
  });

  it('VAL-1: the phase alone refuses: a stream whose avance line comes again after the solde (not produced by the decider, loaded all the same) is back in phase AVANCE, EN_COURS, with a solde', () => {
    const odd = given(...POULAT_SOLDE_EN_COURS, poulatAvanceImported);
    expect(odd.state()).toMatchObject({
      phase: 'AVANCE',
      statut: 'EN_COURS',
      solde: { montantCents: POULAT.montantCents },
    });
    odd.when(validateSolde(POULAT.numeroAsp, POULAT_AT.validation)).thenFails('STATUT_INCOMPATIBLE');
  });

  it('VAL-1: refuses STATUT_INCOMPATIBLE unless the solde is EN_COURS (A_MODIFIER, avance phase, already validated)', () => {
    given(...POULAT_A_MODIFIER)
      .when(validateSolde(POULAT.numeroAsp, POULAT_AT.validation))
      .thenFails('STATUT_INCOMPATIBLE');
    given(poulatAvanceImported)
      .when(validateSolde(POULAT.numeroAsp, POULAT_AT.validation))
      .thenFails('STATUT_INCOMPATIBLE');
    const validated = given(...POULAT_SOLDE_EN_COURS)
      .when(validateSolde(POULAT.numeroAsp, POULAT_AT.validation))
      .events();
    given(...POULAT_SOLDE_EN_COURS, ...validated)
      .when(validateSolde(POULAT.numeroAsp, '2023-08-22T08:00:00.000Z'))
      .thenFails('STATUT_INCOMPATIBLE');
  });
});
