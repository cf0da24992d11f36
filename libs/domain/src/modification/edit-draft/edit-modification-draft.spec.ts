import { DEFAULT_COULOIRS } from '../../couloir/couloir.config';
import { deciderSpecification, given } from '../../testing/given-when-then';
import {
  ACTORS,
  command,
  event,
  POULAT,
  POULAT_A_MODIFIER,
  POULAT_AT,
  POULAT_SOLDE_EN_COURS,
} from '../../testing/seed-fixtures';

const edit = (fields: Record<string, unknown>, at: string = POULAT_AT.edit) =>
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

  it("MOD-6: a contact refused says what is expected, also for null (text, checked by the field's rule)", () => {
    for (const value of ['test123', null]) {
      expect(
        given(...POULAT_A_MODIFIER)
          .when(edit({ contactSupport: value }))
          .thenFails('CHAMP_INVALIDE'),
      ).toEqual({
        code: 'CHAMP_INVALIDE',
        message: 'valeur invalide pour contactSupport : une adresse email ou un lien https est attendu',
        path: 'contactSupport',
      });
    }
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
    expect(
      given(...POULAT_SOLDE_EN_COURS)
        .when(edit({ contactSupport: 'test123@gmail.com' }))
        .thenFails('STATUT_INCOMPATIBLE').message,
    ).toBe(
      'Modification impossible : la demande de solde est au statut « En cours » ; il faut une demande de solde « A modifier »',
    );
  });

  it('MOD-5: refuses CHAMP_NON_MODIFIABLE a field the couloir does not allow whatever its value: object, number, list', () => {
    for (const value of [{ dateFacture: '2023-01-01', montant: 12 }, 12, ['a'], true, {}]) {
      const error = given(...POULAT_A_MODIFIER)
        .when(edit({ contactSupport: 'test123@gmail.com', facture: value }))
        .thenFails('CHAMP_NON_MODIFIABLE');
      expect(error.path).toMatch(/^facture/);
    }
  });

  it('MOD-6: an allowed field with a value that is not text → CHAMP_INVALIDE', () => {
    for (const value of [12, true, ['a'], {}]) {
      const error = given(...POULAT_A_MODIFIER)
        .when(edit({ contactSupport: value }))
        .thenFails('CHAMP_INVALIDE');
      expect(error.path).toBe('contactSupport');
    }
  });

  describe('MOD-5: nested fields, when the couloir names them by their dotted path', () => {
    const nested = deciderSpecification({
      ...DEFAULT_COULOIRS,
      SAS: {
        ...DEFAULT_COULOIRS.SAS!,
        champsEditables: ['contactSupport', 'scenariosEffectivementInstalles.certificatDMP'],
      },
    });

    it('records an edit of the named nested field, from an object', () => {
      nested
        .given(...POULAT_A_MODIFIER)
        .when(edit({ scenariosEffectivementInstalles: { certificatDMP: 'DMP-2023-001' } }))
        .then(
          event('ModificationDraftEdited', {
            numeroAsp: POULAT.numeroAsp,
            version: 'M1',
            field: 'scenariosEffectivementInstalles.certificatDMP',
            from: null,
            to: 'DMP-2023-001',
            editedAt: POULAT_AT.edit,
          }),
        );
    });

    it('refuses a sibling the couloir does not name, and the whole edit with it', () => {
      const error = nested
        .given(...POULAT_A_MODIFIER)
        .when(
          edit({
            scenariosEffectivementInstalles: { certificatDMP: 'DMP-2023-001', certificatINSi: 'INSI-1' },
          }),
        )
        .thenFails('CHAMP_NON_MODIFIABLE');
      expect(error.path).toBe('scenariosEffectivementInstalles.certificatINSi');
    });

    it('a nested field is text too', () => {
      nested
        .given(...POULAT_A_MODIFIER)
        .when(edit({ scenariosEffectivementInstalles: { certificatDMP: 7 } }))
        .thenFails('CHAMP_INVALIDE');
    });
  });
});
