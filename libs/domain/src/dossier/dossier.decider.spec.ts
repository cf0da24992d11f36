import { DEFAULT_COULOIRS } from '../couloir/couloir.config';
import {
  ACTORS,
  command,
  importAvancePoulat,
  importSoldeOfficine,
  importSoldePoulat,
  OFFICINE,
  OFFICINE_AT,
  piece,
  POULAT,
  POULAT_AT,
  requestModificationPoulat,
  validateSolde,
} from '../testing/seed-fixtures';
import type { DossierCommand } from './dossier.commands';
import { createDossierDecider, foldDossier } from './dossier.decider';
import type { DossierErrorCode } from './dossier.errors';
import type { DossierEvent } from './dossier.events';
import type { DossierState } from './dossier.state';
import { STATUT_LABELS } from './dossier.status';

const decider = createDossierDecider(DEFAULT_COULOIRS);

/** Plays commands one after the other the way a command handler does: decide, then evolve. */
const story = () => {
  let state: DossierState = decider.initialState();
  const stream: DossierEvent[] = [];
  return {
    accept(cmd: DossierCommand): DossierEvent[] {
      const result = decider.decide(cmd, state);
      if (!result.ok) throw new Error(`${cmd.type} refused: ${result.error.code} ${result.error.message}`);
      stream.push(...result.value);
      state = result.value.reduce(decider.evolve, state);
      return result.value;
    },
    refuse(cmd: DossierCommand): DossierErrorCode {
      const result = decider.decide(cmd, state);
      if (result.ok) throw new Error(`${cmd.type} accepted: ${result.value.map((e) => e.type).join(', ')}`);
      return result.error.code;
    },
    get state() {
      return state;
    },
    stream,
  };
};

describe('dossier decider', () => {
  it('GARAGE POULAT (guide "Modification d\'une demande de solde SAS"): avance, solde, round M1 confirmed, validated 100000,00 / 70000,00', () => {
    const s = story();
    const { numeroAsp } = POULAT;

    s.accept(importAvancePoulat());
    s.accept(
      command(
        'RecordAvancePayment',
        { numeroAsp, datePaiement: null, montantCents: null },
        ACTORS.gestionnaire,
        POULAT_AT.avancePayment,
      ),
    );
    expect(s.state).toMatchObject({ phase: 'AVANCE', statut: 'PAIEMENT_EFFECTUE' });

    s.accept(importSoldePoulat());
    expect(s.state).toMatchObject({
      phase: 'SOLDE',
      statut: 'EN_COURS',
      champs: { contactSupport: 'pascal.breton@axyus.com' },
    });
    expect(s.state.pieces.map((p) => p.type)).toEqual(expect.arrayContaining(['VA', 'FACTURE', 'AUTRE_S']));

    // 07/08/2023: the gestionnaire sends it back with "test modif".
    s.accept(requestModificationPoulat('test modif'));
    expect(s.state).toMatchObject({
      statut: 'A_MODIFIER',
      statusChangedAt: POULAT_AT.modificationRequest,
      openRound: { version: 'M1', commentaire: 'test modif' },
    });
    expect(`${numeroAsp}${s.state.openRound?.version}`).toBe('FINSAS008539M1');
    expect(STATUT_LABELS[s.state.statut!]).toBe('A modifier');

    const at = (minute: number) => `2023-08-08T07:${String(minute).padStart(2, '0')}:00.000Z`;
    s.accept(
      command(
        'EditModificationDraft',
        { numeroAsp, fields: { contactSupport: 'test123@gmail.com' } },
        ACTORS.poulat,
        at(10),
      ),
    );
    const complement = piece('complement-m1', 'AUTRE_S', 'complement.pdf');
    s.accept(command('AddPiece', { numeroAsp, piece: complement }, ACTORS.poulat, at(11)));
    s.accept(command('RemovePiece', { numeroAsp, pieceId: complement.pieceId }, ACTORS.poulat, at(12)));
    expect(
      s.refuse(command('RemovePiece', { numeroAsp, pieceId: 'pj-demande' }, ACTORS.poulat, at(13))),
    ).toBe('PIECE_NON_SUPPRIMABLE');

    const [submitted] = s.accept(command('SubmitModification', { numeroAsp }, ACTORS.poulat, at(15)));
    expect(submitted).toEqual({
      type: 'ModificationSubmitted',
      data: {
        numeroAsp,
        version: 'M1',
        changes: [{ field: 'contactSupport', from: 'pascal.breton@axyus.com', to: 'test123@gmail.com' }],
        piecesAdded: [],
        submittedAt: at(15),
      },
    });
    expect(s.state).toMatchObject({
      statut: 'EN_COURS',
      currentVersion: 1,
      champs: { contactSupport: 'test123@gmail.com' },
    });

    // The J+10 and J+20 timers still fire for M1: they find the round closed and do nothing.
    const schedulerSays = (type: 'SendModificationReminder' | 'ExpireModification', when: string) =>
      s.accept(command(type, { numeroAsp, version: 'M1' }, ACTORS.scheduler, when));
    expect(schedulerSays('SendModificationReminder', POULAT_AT.reminderDue)).toEqual([]);
    expect(schedulerSays('ExpireModification', POULAT_AT.expiry)).toEqual([]);

    const [validated] = s.accept(validateSolde(numeroAsp, POULAT_AT.validation));
    expect(validated).toMatchObject({
      data: { engagementRetenuCents: 10_000_000, soldeDecideCents: 7_000_000, decisionModificative: null },
    });
    s.accept(
      command(
        'RecordSoldePayment',
        { numeroAsp, datePaiement: null, montantCents: null },
        ACTORS.gestionnaire,
        POULAT_AT.soldePayment,
      ),
    );
    expect(s.state).toMatchObject({ statut: 'PAIEMENT_EFFECTUE', soldePayment: { montantCents: 7_000_000 } });

    // The stream alone rebuilds the same state.
    expect(foldDossier(s.stream)).toEqual(s.state);
  });

  it('Officine (webinar): a beneficiary change A → B declared as historical is validated with a décision modificative', () => {
    const s = story();
    const { numeroAsp } = OFFICINE;
    s.accept(
      importAvancePoulat(
        {
          numeroAsp,
          couloir: OFFICINE.couloir,
          numeroAns: OFFICINE.numeroAns,
          siret: OFFICINE.siret,
          bonDeCommande: { dateBonDeCommande: '2022-02-15', montantCents: OFFICINE.montantCents },
          beneficiaire: OFFICINE.beneficiaire,
          contactSupport: null,
          pieces: [],
        },
        ACTORS.officine,
        OFFICINE_AT.avanceImport,
      ),
    );
    expect(s.refuse(importSoldeOfficine())).toBe('AVANCE_NON_PAYEE');
    s.accept(
      command(
        'RecordAvancePayment',
        { numeroAsp, datePaiement: null, montantCents: null },
        ACTORS.gestionnaire,
        OFFICINE_AT.avancePayment,
      ),
    );
    s.accept(
      importSoldeOfficine({
        beneficiaire: OFFICINE.autreBeneficiaire,
        beneficiaireHistorique: OFFICINE.beneficiaire,
      }),
    );
    expect(s.state.statut).toBe('EN_COURS');
    const [validated] = s.accept(validateSolde(numeroAsp, OFFICINE_AT.validation));
    expect(validated).toMatchObject({
      data: {
        engagementRetenuCents: 100_000,
        soldeDecideCents: 70_000,
        decisionModificative: {
          differences: [{ champ: 'beneficiaire', avance: '620006494', solde: '620006502' }],
        },
      },
    });
  });

  describe('DOS-2: refuses DOSSIER_INCONNU any command on a dossier never imported', () => {
    const numeroAsp = 'FINSAS999999';
    const at = '2023-08-08T08:00:00.000Z';
    const g = ACTORS.gestionnaire;
    const f = ACTORS.poulat;
    const commands: DossierCommand[] = [
      command('RecordAvancePayment', { numeroAsp, datePaiement: null, montantCents: null }, g, at),
      command(
        'RequestModification',
        { numeroAsp, commentaire: 'x', reminderAfter: 'P10D', expiryAfter: 'P20D' },
        g,
        at,
      ),
      command('EditModificationDraft', { numeroAsp, fields: { contactSupport: 'a@b.fr' } }, f, at),
      command('AddPiece', { numeroAsp, piece: piece('p', 'AUTRE_S', 'p.pdf') }, f, at),
      command('RemovePiece', { numeroAsp, pieceId: 'p' }, f, at),
      command('SubmitModification', { numeroAsp }, f, at),
      command('DeclineModification', { numeroAsp }, f, at),
      command('SendModificationReminder', { numeroAsp, version: 'M1' }, ACTORS.scheduler, at),
      command('ExpireModification', { numeroAsp, version: 'M1' }, ACTORS.scheduler, at),
      command('ValidateSolde', { numeroAsp, engagementRetenuCents: null, soldeDecideCents: null }, g, at),
      command('RejectSolde', { numeroAsp, motif: 'x' }, g, at),
      command('RecordSoldePayment', { numeroAsp, datePaiement: null, montantCents: null }, g, at),
      command(
        'RecordEmailSent',
        {
          numeroAsp,
          causationEventId: 'e',
          template: 'SOLDE_VALIDE',
          to: 'a@b.fr',
          subject: 's',
          messageId: 'm',
        },
        ACTORS.mailer,
        at,
      ),
      command('IssueRecoveryOrder', { numeroAsp, montantCents: 1, motif: 'x' }, g, at),
    ];
    it.each(commands.map((c) => [c.type, c] as const))('%s', (_type, cmd) => {
      expect(story().refuse(cmd)).toBe('DOSSIER_INCONNU');
    });

    it('SOL-1: ImportSolde answers AVANCE_INCONNUE instead', () => {
      expect(story().refuse(importSoldePoulat({ numeroAsp }))).toBe('AVANCE_INCONNUE');
    });
  });

  it('COU-2: refuses COULOIR_INCONNU a command on a dossier whose couloir left the configuration', () => {
    const withoutSas = createDossierDecider({ PHA: DEFAULT_COULOIRS.PHA! });
    const state = foldDossier([
      {
        type: 'AvanceImported',
        data: { ...importAvancePoulat().data, importedAt: POULAT_AT.avanceImport },
      },
      {
        type: 'AvancePaymentRecorded',
        data: {
          numeroAsp: POULAT.numeroAsp,
          datePaiement: '2023-02-01',
          montantCents: 1,
          recordedAt: POULAT_AT.avancePayment,
        },
      },
    ]);
    const result = withoutSas.decide(importSoldePoulat(), state);
    expect(result).toEqual({
      ok: false,
      error: { code: 'COULOIR_INCONNU', message: 'couloir inconnu : SAS' },
    });
  });
});
