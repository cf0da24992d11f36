import { given } from '../../testing/given-when-then';
import {
  ACTORS,
  command,
  event,
  POULAT,
  POULAT_A_MODIFIER,
  POULAT_AT,
  POULAT_SOLDE_EN_COURS,
} from '../../testing/seed-fixtures';

const edit = (fields: Record<string, string | null>, at: string = POULAT_AT.edit) =>
  command('EditModificationDraft', { numeroAsp: POULAT.numeroAsp, fields }, ACTORS.poulat, at);

const contactEdited = (from: string, to: string, editedAt: string = POULAT_AT.edit) =>
  event('ModificationDraftEdited', {
    numeroAsp: POULAT.numeroAsp,
    version: 'M1',
    field: 'contactSupport',
    from,
    to,
    editedAt,
  });

describe('EditModificationDraft', () => {
  it('MOD-7: records the new value of an editable field in the draft of the open round', () => {
    const state = given(...POULAT_A_MODIFIER)
      .when(edit({ contactSupport: 'test123@gmail.com' }))
      .then(contactEdited(POULAT.contact, 'test123@gmail.com'));
    expect(state.openRound?.draftChamps).toEqual({ contactSupport: 'test123@gmail.com' });
    // The current version is untouched until "Confirmer".
    expect(state.champs).toEqual({ contactSupport: POULAT.contact });
  });

  it('MOD-6: accepts an https link to a support platform', () => {
    given(...POULAT_A_MODIFIER)
      .when(edit({ contactSupport: 'https://support.axyus.com' }))
      .then(contactEdited(POULAT.contact, 'https://support.axyus.com'));
  });

  it('MOD-7: edits from the draft value: a second edit starts where the first one left', () => {
    given(...POULAT_A_MODIFIER, contactEdited(POULAT.contact, 'test123@gmail.com'))
      .when(edit({ contactSupport: 'support@axyus.com' }, '2023-08-08T07:20:00.000Z'))
      .then(contactEdited('test123@gmail.com', 'support@axyus.com', '2023-08-08T07:20:00.000Z'));
  });

  it('MOD-7: appends nothing for a value equal to the draft value', () => {
    given(...POULAT_A_MODIFIER)
      .when(edit({ contactSupport: POULAT.contact }))
      .then();
  });

  it('MOD-5: refuses CHAMP_NON_MODIFIABLE a field outside the couloir editable fields, naming it', () => {
    const error = given(...POULAT_A_MODIFIER)
      .when(edit({ contactSupport: 'test123@gmail.com', beneficiaire: '620006502' }))
      .thenFails('CHAMP_NON_MODIFIABLE');
    expect(error.path).toBe('beneficiaire');
  });

  it('MOD-6: refuses CHAMP_INVALIDE a contact that is neither an email nor an https link, so nothing invalid is ever stored', () => {
    given(...POULAT_A_MODIFIER)
      .when(edit({ contactSupport: 'test123' }))
      .thenFails('CHAMP_INVALIDE');
    given(...POULAT_A_MODIFIER)
      .when(edit({ contactSupport: 'http://support.axyus.com' }))
      .thenFails('CHAMP_INVALIDE');
    given(...POULAT_A_MODIFIER)
      .when(edit({ contactSupport: null }))
      .thenFails('CHAMP_INVALIDE');
  });

  it('MOD-4: refuses MODIFICATION_EXPIREE from J+20 on, even before the expiry timer fired', () => {
    given(...POULAT_A_MODIFIER)
      .when(edit({ contactSupport: 'test123@gmail.com' }, POULAT_AT.expiry))
      .thenFails('MODIFICATION_EXPIREE');
  });

  it('MOD-4: refuses MODIFICATION_EXPIREE after the round expired', () => {
    const expired = event('ModificationExpired', {
      numeroAsp: POULAT.numeroAsp,
      version: 'M1',
      expiredAt: POULAT_AT.expiry,
    });
    given(...POULAT_A_MODIFIER, expired)
      .when(edit({ contactSupport: 'test123@gmail.com' }, '2023-08-28T08:00:00.000Z'))
      .thenFails('MODIFICATION_EXPIREE');
  });

  it('MOD-4: refuses STATUT_INCOMPATIBLE when no modification was requested', () => {
    given(...POULAT_SOLDE_EN_COURS)
      .when(edit({ contactSupport: 'test123@gmail.com' }))
      .thenFails('STATUT_INCOMPATIBLE');
  });
});
