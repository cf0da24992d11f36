import { given } from '../../testing/given-when-then';
import { ACTORS, command, event, POULAT, POULAT_A_MODIFIER, POULAT_AT } from '../../testing/seed-fixtures';

const expire = (version: string, at: string) =>
  command('ExpireModification', { numeroAsp: POULAT.numeroAsp, version }, ACTORS.scheduler, at);
const expired = event('ModificationExpired', {
  numeroAsp: POULAT.numeroAsp,
  version: 'M1',
  expiredAt: POULAT_AT.expiry,
});
const edited = event('ModificationDraftEdited', {
  numeroAsp: POULAT.numeroAsp,
  version: 'M1',
  field: 'contactSupport',
  from: POULAT.contact,
  to: 'test123@gmail.com',
  editedAt: POULAT_AT.edit,
});

describe('ExpireModification (J+20)', () => {
  it('TIM-6: closes the round at J+20: draft discarded, back to EN_COURS, instructed as is', () => {
    const state = given(...POULAT_A_MODIFIER, edited)
      .when(expire('M1', POULAT_AT.expiry))
      .then(expired);
    expect(state).toMatchObject({
      statut: 'EN_COURS',
      statusChangedAt: POULAT_AT.expiry,
      openRound: null,
      lastRoundOutcome: 'expired',
      currentVersion: 0,
      champs: { contactSupport: POULAT.contact },
    });
  });

  it('TIM-4: refuses ECHEANCE_NON_ATTEINTE before J+20 (not a wrong statut), so the scheduler retries', () => {
    const error = given(...POULAT_A_MODIFIER)
      .when(expire('M1', '2023-08-27T07:59:59.000Z'))
      .thenFails('ECHEANCE_NON_ATTEINTE');
    expect(error.message).toContain('échéance non atteinte');
  });

  it('TIM-3: does nothing for a round already expired', () => {
    given(...POULAT_A_MODIFIER, expired)
      .when(expire('M1', '2023-08-27T08:00:05.000Z'))
      .then();
  });

  it('TIM-3: does nothing for a round already declined', () => {
    const declined = event('ModificationDeclined', {
      numeroAsp: POULAT.numeroAsp,
      version: 'M1',
      declinedBy: 'fournisseur',
      declinedAt: POULAT_AT.submit,
    });
    given(...POULAT_A_MODIFIER, declined)
      .when(expire('M1', POULAT_AT.expiry))
      .then();
  });

  it('TIM-3: does nothing for a version that was never opened', () => {
    given(...POULAT_A_MODIFIER)
      .when(expire('M7', POULAT_AT.expiry))
      .then();
  });
});
