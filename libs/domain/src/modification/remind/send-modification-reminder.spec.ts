import { given } from '../../testing/given-when-then';
import {
  ACTORS,
  command,
  event,
  POULAT,
  POULAT_A_MODIFIER,
  POULAT_AT,
  poulatModificationRequested,
} from '../../testing/seed-fixtures';

const remind = (version: string, at: string) =>
  command('SendModificationReminder', { numeroAsp: POULAT.numeroAsp, version }, ACTORS.scheduler, at);
const reminded = event('ModificationReminderSent', {
  numeroAsp: POULAT.numeroAsp,
  version: 'M1',
  sentAt: POULAT_AT.reminderDue,
});
const submitted = event('ModificationSubmitted', {
  numeroAsp: POULAT.numeroAsp,
  version: 'M1',
  changes: [],
  piecesAdded: [],
  submittedAt: POULAT_AT.submit,
});

describe('SendModificationReminder (J+10)', () => {
  it('TIM-5: records the reminder of the open round once J+10 is reached', () => {
    const state = given(...POULAT_A_MODIFIER)
      .when(remind('M1', POULAT_AT.reminderDue))
      .then(reminded);
    expect(state).toMatchObject({ statut: 'A_MODIFIER', openRound: { reminderSent: true } });
  });

  it('TIM-4: refuses ECHEANCE_NON_ATTEINTE before J+10 (not a wrong statut), so the scheduler retries', () => {
    const error = given(...POULAT_A_MODIFIER)
      .when(remind('M1', '2023-08-17T07:59:59.999Z'))
      .thenFails('ECHEANCE_NON_ATTEINTE');
    expect(error.message).toContain('échéance non atteinte');
  });

  it('TIM-5: does nothing for a reminder already sent (timers fire at least once)', () => {
    given(...POULAT_A_MODIFIER, reminded)
      .when(remind('M1', '2023-08-17T09:00:00.000Z'))
      .then();
  });

  it('TIM-3: does nothing for a round already submitted', () => {
    given(...POULAT_A_MODIFIER, submitted)
      .when(remind('M1', POULAT_AT.reminderDue))
      .then();
  });

  it('TIM-3: does nothing for an earlier round while a later one is open', () => {
    const m2 = event('ModificationRequested', {
      ...poulatModificationRequested.data,
      version: 'M2',
      round: 2,
    });
    given(...POULAT_A_MODIFIER, submitted, m2)
      .when(remind('M1', POULAT_AT.reminderDue))
      .then();
  });

  it('TIM-5: does nothing once J+20 is reached: the round can no longer be edited', () => {
    given(...POULAT_A_MODIFIER)
      .when(remind('M1', POULAT_AT.expiry))
      .then();
  });
});
