import type { DossierCommand } from '../dossier/dossier.commands';
import type { DossierEvent, DossierEventType } from '../dossier/dossier.events';
import { given } from '../testing/given-when-then';
import {
  ACTORS,
  command,
  event,
  piece,
  POULAT,
  POULAT_A_MODIFIER,
  POULAT_AT,
} from '../testing/seed-fixtures';

// MOD-4. Every draft action shares the J+20 guard: these pin the exact millisecond on each of
// them, so that a guard moved to J+10, to the day before, or to `>` instead of `>=` is caught.
const attestation = piece('attestation-m1', 'AUTRE_S', 'attestation-complementaire.pdf');
const edited = event('ModificationDraftEdited', {
  numeroAsp: POULAT.numeroAsp,
  version: 'M1',
  field: 'contactSupport',
  from: POULAT.contact,
  to: 'test123@gmail.com',
  editedAt: POULAT_AT.edit,
});
const added = event('PieceAdded', {
  numeroAsp: POULAT.numeroAsp,
  version: 'M1',
  piece: attestation,
  addedAt: POULAT_AT.edit,
});
const numeroAsp = POULAT.numeroAsp;

interface DraftAction {
  name: string;
  history: DossierEvent[];
  at: (at: string) => DossierCommand;
  accepted: DossierEventType;
}

const ACTIONS: DraftAction[] = [
  {
    name: 'EditModificationDraft',
    history: POULAT_A_MODIFIER,
    at: (at) =>
      command(
        'EditModificationDraft',
        { numeroAsp, fields: { contactSupport: 'x@garage.fr' } },
        ACTORS.poulat,
        at,
      ),
    accepted: 'ModificationDraftEdited',
  },
  {
    name: 'AddPiece',
    history: POULAT_A_MODIFIER,
    at: (at) => command('AddPiece', { numeroAsp, piece: attestation }, ACTORS.poulat, at),
    accepted: 'PieceAdded',
  },
  {
    name: 'RemovePiece',
    history: [...POULAT_A_MODIFIER, added],
    at: (at) => command('RemovePiece', { numeroAsp, pieceId: attestation.pieceId }, ACTORS.poulat, at),
    accepted: 'PieceRemoved',
  },
  {
    name: 'SubmitModification',
    history: [...POULAT_A_MODIFIER, edited],
    at: (at) => command('SubmitModification', { numeroAsp }, ACTORS.poulat, at),
    accepted: 'ModificationSubmitted',
  },
  {
    name: 'DeclineModification',
    history: [...POULAT_A_MODIFIER, edited],
    at: (at) => command('DeclineModification', { numeroAsp }, ACTORS.poulat, at),
    accepted: 'ModificationDeclined',
  },
];

const shift = (iso: string, ms: number): string => new Date(Date.parse(iso) + ms).toISOString();
const DAY = 24 * 60 * 60 * 1000;

describe.each(ACTIONS)('MOD-4: $name and the J+20 deadline', ({ history, at, accepted }) => {
  it.each([
    ['at J+10 (the reminder instant)', POULAT_AT.reminderDue],
    ['on the last day, one day before J+20', shift(POULAT_AT.expiry, -DAY)],
    ['one millisecond before J+20', shift(POULAT_AT.expiry, -1)],
  ])('is accepted %s', (_label, instant) => {
    const events = given(...history)
      .when(at(instant))
      .events();
    expect(events.map((e) => e.type)).toContain(accepted);
  });

  it.each([
    ['at the J+20 instant itself', POULAT_AT.expiry],
    ['one millisecond after J+20', shift(POULAT_AT.expiry, 1)],
    ['a day after J+20, the expiry timer not fired yet', shift(POULAT_AT.expiry, DAY)],
  ])('is refused MODIFICATION_EXPIREE %s', (_label, instant) => {
    const error = given(...history)
      .when(at(instant))
      .thenFails('MODIFICATION_EXPIREE');
    expect(error.message).toContain('M1');
  });
});
