import {
  ACTORS,
  OFFICINE,
  OFFICINE_AT,
  POULAT,
  POULAT_AT,
  command,
  importAvancePoulat,
  importSoldeOfficine,
  importSoldePoulat,
  officineAvanceImported,
  requestModificationPoulat,
  validateSolde,
} from '../../../domain/src/testing/seed-fixtures';
import type { DossierCommand } from '@segur/domain';
import { newCommandContext } from '../pipeline/command-context';
import type { CommandPipeline } from '../pipeline/command-pipeline';

/** A second SAS dossier of GARAGE POULAT's, whose solde comes late (2023-03-02). */
export const LATE_SAS = 'FINSAS008540';
/** A third one, whose solde comes early (2023-01-20). */
export const EARLY_SAS = 'FINSAS008541';

const avanceOf = (numeroAsp: string, n: number): DossierCommand =>
  importAvancePoulat({ numeroAsp, numeroAns: `pbrSAS00${12 + n}`, contentHash: `avance-${numeroAsp}` });
const paid = (numeroAsp: string, at: string): DossierCommand =>
  command(
    'RecordAvancePayment',
    { numeroAsp, datePaiement: null, montantCents: null },
    ACTORS.gestionnaire,
    at,
  );

/**
 * The seed fixtures' whole history (GARAGE POULAT's round of modification to its solde payment,
 * the Officine's solde, two more SAS dossiers), driven through the real pipeline on every path:
 * one-dossier commands (HTTP, CLI, timers, mail loop) and the many-dossiers form (imports), with
 * refusals and no-ops among them. Returns how many decisions were recorded.
 */
export const runSeedHistory = async (pipeline: CommandPipeline): Promise<number> => {
  let decisions = 0;
  const one = async (c: DossierCommand): Promise<void> => {
    decisions++;
    await pipeline.execute(c, newCommandContext()).catch(() => undefined);
  };
  const many = async (cs: DossierCommand[]): Promise<void> => {
    decisions += cs.length;
    await pipeline.executeMany(
      cs.map((c) => ({ command: c, context: newCommandContext() })),
      { maxAttempts: 3 },
    );
  };
  const { importedAt: _importedAt, ...officineAvance } = officineAvanceImported.data;
  // The avance imports, as one file (many-dossiers form), a refused duplicate line among them.
  await many([
    importAvancePoulat(),
    command('ImportAvance', officineAvance, ACTORS.officine, OFFICINE_AT.avanceImport),
    avanceOf(LATE_SAS, 1),
    avanceOf(EARLY_SAS, 2),
    importAvancePoulat({ contentHash: 'avance-poulat-v2' }),
  ]);
  // A solde before its avance is paid: refused (SOL-4).
  await one(importSoldeOfficine({}, ACTORS.officine, '2022-03-15T09:00:00.000Z'));
  await one(paid(OFFICINE.numeroAsp, OFFICINE_AT.avancePayment));
  await one(paid(POULAT.numeroAsp, POULAT_AT.avancePayment));
  await one(paid(LATE_SAS, POULAT_AT.avancePayment));
  await one(paid(EARLY_SAS, POULAT_AT.avancePayment));
  // The solde imports, each in a file of its own, at their dates.
  await many([
    importSoldePoulat(
      { numeroAsp: EARLY_SAS, contentHash: `solde-${EARLY_SAS}` },
      ACTORS.poulat,
      '2023-01-20T09:00:00.000Z',
    ),
  ]);
  await many([importSoldeOfficine()]);
  await many([importSoldePoulat()]);
  await many([
    importSoldePoulat(
      { numeroAsp: LATE_SAS, contentHash: `solde-${LATE_SAS}` },
      ACTORS.poulat,
      '2023-03-02T09:00:00.000Z',
    ),
    // The same file sent again in the same chunk: a no-op decided on the evolving state.
    importSoldePoulat(
      { numeroAsp: LATE_SAS, contentHash: `solde-${LATE_SAS}` },
      ACTORS.poulat,
      '2023-03-02T09:00:00.000Z',
    ),
  ]);
  // The same Poulat file resent after the closing date: a no-op (SOL-3), under any closing date.
  await many([importSoldePoulat({}, ACTORS.poulat, '2023-03-10T09:00:00.000Z')]);
  // GARAGE POULAT's round of modification, its timers, its emails, its validation and payment.
  await one(requestModificationPoulat());
  await one(
    command(
      'RecordEmailSent',
      {
        numeroAsp: POULAT.numeroAsp,
        causationEventId: 'seed-email-1',
        template: 'MODIFICATION_DEMANDEE',
        to: POULAT.contact,
        subject: 'Demande de modification',
        messageId: '<seed-email-1@segur>',
      },
      ACTORS.mailer,
      '2023-08-07T08:01:00.000Z',
    ),
  );
  await one(
    command(
      'EditModificationDraft',
      { numeroAsp: POULAT.numeroAsp, fields: { contactSupport: 'support@garage-poulat.fr' } },
      ACTORS.poulat,
      POULAT_AT.edit,
    ),
  );
  await one(command('SubmitModification', { numeroAsp: POULAT.numeroAsp }, ACTORS.poulat, POULAT_AT.submit));
  // The reminder timer after the submission: refused, the round is closed.
  await one(
    command(
      'SendModificationReminder',
      { numeroAsp: POULAT.numeroAsp, version: 'M1' },
      ACTORS.scheduler,
      POULAT_AT.reminderDue,
    ),
  );
  await one(validateSolde(POULAT.numeroAsp, POULAT_AT.validation));
  await one(
    command(
      'RecordSoldePayment',
      { numeroAsp: POULAT.numeroAsp, datePaiement: '2023-09-04', montantCents: null },
      ACTORS.gestionnaire,
      POULAT_AT.soldePayment,
    ),
  );
  await one(validateSolde(OFFICINE.numeroAsp, OFFICINE_AT.validation));
  return decisions;
};
