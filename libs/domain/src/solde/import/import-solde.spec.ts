import { DEFAULT_COULOIRS, type CouloirsConfig } from '../../couloir/couloir.config';
import { deciderSpecification, given } from '../../testing/given-when-then';
import {
  ACTORS,
  importSoldeOfficine,
  importSoldePoulat,
  OFFICINE,
  OFFICINE_AT,
  OFFICINE_AVANCE_PAYEE,
  officineSoldeImported,
  piece,
  POULAT,
  POULAT_AT,
  POULAT_SOLDE_EN_COURS,
  POULAT_SOLDE_PIECES,
  poulatAvanceImported,
  poulatAvancePaid,
  poulatSoldeImported,
} from '../../testing/seed-fixtures';
import { BENEFICIAIRE_ABSENT_AVANCE_MOTIF } from './import-solde.decide';

const AVANCE_PAYEE = [poulatAvanceImported, poulatAvancePaid];

describe('ImportSolde', () => {
  describe('accepted', () => {
    it('SOL-10: records SoldeImported: phase SOLDE, statut EN_COURS, initial version with its pieces and editable fields', () => {
      const state = given(...AVANCE_PAYEE)
        .when(importSoldePoulat())
        .then(poulatSoldeImported);
      expect(state).toMatchObject({
        phase: 'SOLDE',
        statut: 'EN_COURS',
        statusChangedAt: POULAT_AT.soldeImport,
        currentVersion: 0,
        champs: { contactSupport: 'pascal.breton@axyus.com' },
        solde: { montantCents: POULAT.montantCents, beneficiaire: POULAT.beneficiaire },
      });
      expect(state.pieces.map((p) => [p.nomFichier, p.type, p.addedInVersion])).toContainEqual([
        'PJ_Demande.pdf',
        'AUTRE_S',
        0,
      ]);
    });

    it("SOL-10: takes the avance's contactSupport when the solde line carries none", () => {
      const [imported] = given(...AVANCE_PAYEE)
        .when(importSoldePoulat({ contactSupport: null }))
        .events();
      expect(imported).toMatchObject({ data: { champs: { contactSupport: POULAT.contact } } });
    });

    it('SOL-9: accepts a montant that differs from the avance (rule 7 feeds the validation, it refuses nothing)', () => {
      const events = given(...AVANCE_PAYEE)
        .when(importSoldePoulat({ facture: { dateFacture: '2023-02-10', montantCents: 9_000_000 } }))
        .events();
      expect(events.map((e) => e.type)).toEqual(['SoldeImported']);
    });

    it('SOL-8: Officine (webinar case 1): a solde with the same perimeter as the avance is accepted', () => {
      const state = given(...OFFICINE_AVANCE_PAYEE)
        .when(importSoldeOfficine())
        .then(officineSoldeImported());
      expect(state.statut).toBe('EN_COURS');
    });

    it('SOL-8: Officine (webinar case 2.2): A became B, declared with beneficiaireHistorique = A, is accepted', () => {
      const cmd = importSoldeOfficine({
        beneficiaire: OFFICINE.autreBeneficiaire,
        beneficiaireHistorique: OFFICINE.beneficiaire,
      });
      const state = given(...OFFICINE_AVANCE_PAYEE)
        .when(cmd)
        .then(officineSoldeImported(cmd));
      expect(state.statut).toBe('EN_COURS');
    });

    it('SOL-5: accepts the import on the closing day itself, until midnight in Paris', () => {
      const couloirs: CouloirsConfig = {
        ...DEFAULT_COULOIRS,
        SAS: { ...DEFAULT_COULOIRS.SAS!, clotureSolde: '2023-02-16' },
      };
      const events = deciderSpecification(couloirs)
        .given(...AVANCE_PAYEE)
        .when(importSoldePoulat({}, ACTORS.poulat, '2023-02-16T22:59:59.000Z'))
        .events();
      expect(events.map((e) => e.type)).toEqual(['SoldeImported']);
    });
  });

  describe('auto-rejected', () => {
    it('SOL-8: Officine (webinar case 2.1): a beneficiary absent from the avance is recorded then rejected automatically', () => {
      const cmd = importSoldeOfficine({ beneficiaire: OFFICINE.autreBeneficiaire });
      const state = given(...OFFICINE_AVANCE_PAYEE)
        .when(cmd)
        .then(officineSoldeImported(cmd), {
          type: 'SoldeAutoRejected',
          data: {
            numeroAsp: OFFICINE.numeroAsp,
            code: 'BENEFICIAIRE_ABSENT_AVANCE',
            motif:
              "un bénéficiaire absent de la demande d'avance ne peut faire l'objet d'une demande de solde",
            rejectedAt: OFFICINE_AT.soldeImport,
          },
        });
      expect(state).toMatchObject({
        phase: 'SOLDE',
        statut: 'REJETEE',
        rejection: { motif: BENEFICIAIRE_ABSENT_AVANCE_MOTIF },
      });
    });

    it('SOL-8: a beneficiaireHistorique that is not the avance beneficiary does not save the line', () => {
      const events = given(...OFFICINE_AVANCE_PAYEE)
        .when(
          importSoldeOfficine({
            beneficiaire: OFFICINE.autreBeneficiaire,
            beneficiaireHistorique: '590000006',
          }),
        )
        .events();
      expect(events.map((e) => e.type)).toEqual(['SoldeImported', 'SoldeAutoRejected']);
    });
  });

  describe('idempotent', () => {
    it('SOL-3: appends nothing when the same solde line is imported again (unchanged), even after the closing date', () => {
      given(...POULAT_SOLDE_EN_COURS)
        .when(importSoldePoulat({}, ACTORS.poulat, '2031-01-05T10:00:00.000Z'))
        .then();
    });
  });

  describe('refused', () => {
    it('SOL-1: AVANCE_INCONNUE when no avance exists for the numéro ASP, on the numéro ASP', () => {
      expect(given().when(importSoldePoulat()).thenFails('AVANCE_INCONNUE')).toEqual({
        code: 'AVANCE_INCONNUE',
        message: "aucune demande d'avance FINSAS008539 n'est connue",
        path: 'numeroASP',
      });
    });

    it('SOL-4: AVANCE_NON_PAYEE while the avance payment is not "Paiement effectué", on the numéro ASP', () => {
      expect(given(poulatAvanceImported).when(importSoldePoulat()).thenFails('AVANCE_NON_PAYEE')).toEqual({
        code: 'AVANCE_NON_PAYEE',
        message: "la demande de solde n'est possible qu'une fois l'avance au statut « Paiement effectué »",
        path: 'numeroASP',
      });
    });

    it('SOL-2: SIRET_DIFFERENT_AVANCE when assistance imports a file whose SIRET is not the avance one', () => {
      const error = given(...AVANCE_PAYEE)
        .when(importSoldePoulat({ siret: OFFICINE.siret }, ACTORS.assistance))
        .thenFails('SIRET_DIFFERENT_AVANCE');
      expect(error).toEqual({
        code: 'SIRET_DIFFERENT_AVANCE',
        message:
          "le SIRET 80125271900415 n'est pas celui de la demande d'avance (79256844600019) : un changement de SIRET passe par l'assistance",
        path: 'siret',
      });
    });

    it("SOL-2: AVANCE_INCONNUE, word for word, when a fournisseur quotes another supplier's numéro ASP", () => {
      const unknown = given().when(importSoldePoulat({ siret: OFFICINE.siret }, ACTORS.autreFournisseur));
      const other = given(poulatAvanceImported).when(
        importSoldePoulat({ siret: OFFICINE.siret }, ACTORS.autreFournisseur),
      );
      // Not even "avance non payée" may leak: the SIRET is checked first.
      expect(other.thenFails('AVANCE_INCONNUE')).toEqual(unknown.thenFails('AVANCE_INCONNUE'));
    });

    it('SOL-5: DATE_CLOTURE_DEPASSEE after the couloir closing day (Paris calendar)', () => {
      const couloirs: CouloirsConfig = {
        ...DEFAULT_COULOIRS,
        SAS: { ...DEFAULT_COULOIRS.SAS!, clotureSolde: '2023-02-16' },
      };
      // 23:00 UTC on the 16th is already the 17th in Paris.
      deciderSpecification(couloirs)
        .given(...AVANCE_PAYEE)
        .when(importSoldePoulat({}, ACTORS.poulat, '2023-02-16T23:00:00.000Z'))
        .thenFails('DATE_CLOTURE_DEPASSEE');
    });

    it('SOL-6: PIECE_OBLIGATOIRE_MANQUANTE without the VA and the invoice, naming both', () => {
      const error = given(...AVANCE_PAYEE)
        .when(
          importSoldePoulat({
            pieces: POULAT_SOLDE_PIECES.filter((p) => p.type !== 'VA' && p.type !== 'FACTURE'),
          }),
        )
        .thenFails('PIECE_OBLIGATOIRE_MANQUANTE');
      expect(error).toEqual({
        code: 'PIECE_OBLIGATOIRE_MANQUANTE',
        message: 'pièce(s) obligatoire(s) manquante(s) : VA, FACTURE',
        path: 'piecesJustificatives',
      });
    });

    it('SOL-6: PIECE_OBLIGATOIRE_MANQUANTE when a signed PV de recette stands in for the VA', () => {
      given(...AVANCE_PAYEE)
        .when(
          importSoldePoulat({
            pieces: [
              piece('pv', 'AUTRE_S', 'PV-de-recette-signe.pdf'),
              piece('facture', 'FACTURE', 'facture.pdf'),
            ],
          }),
        )
        .thenFails('PIECE_OBLIGATOIRE_MANQUANTE');
    });

    it('SOL-7: PIECE_TYPE_INCONNU for a piece type the couloir does not know', () => {
      const error = given(...AVANCE_PAYEE)
        .when(
          importSoldePoulat({ pieces: [...POULAT_SOLDE_PIECES, piece('x', 'BON_DE_LIVRAISON', 'bl.pdf')] }),
        )
        .thenFails('PIECE_TYPE_INCONNU');
      expect(error.path).toBe('piecesJustificatives[6].type');
    });

    it('SOL-3: SOLDE_DEJA_DEPOSE when a different solde comes for a dossier that already has one', () => {
      const error = given(...POULAT_SOLDE_EN_COURS)
        .when(importSoldePoulat({ contentHash: 'solde-poulat-v2' }))
        .thenFails('SOLDE_DEJA_DEPOSE');
      expect(error).toEqual({
        code: 'SOLDE_DEJA_DEPOSE',
        message: 'une demande de solde a déjà été déposée pour FINSAS008539',
        path: 'numeroASP',
      });
    });
  });
});
