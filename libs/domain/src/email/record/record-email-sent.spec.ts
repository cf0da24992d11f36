import type { EmailTemplate } from '../../dossier/dossier.events';
import { given } from '../../testing/given-when-then';
import { ACTORS, command, POULAT, POULAT_A_MODIFIER } from '../../testing/seed-fixtures';

const AT = '2023-08-07T08:00:03.000Z';
const sent = (template: EmailTemplate = 'MODIFICATION_DEMANDEE', numeroAsp: string = POULAT.numeroAsp) =>
  command(
    'RecordEmailSent',
    {
      numeroAsp,
      causationEventId: 'evt-modification-requested-m1',
      template,
      to: 'contact@garage-poulat.fr',
      subject: 'Votre demande de solde nécessite des modifications',
      messageId: '<m1@segur>',
    },
    ACTORS.mailer,
    AT,
  );

describe('RecordEmailSent', () => {
  it('EML-2: records an automatic email on the dossier ("Courriels automatiques envoyés")', () => {
    const state = given(...POULAT_A_MODIFIER)
      .when(sent())
      .then({ type: 'EmailSent', data: { ...sent().data, sentAt: AT } });
    expect(state.emailsSent).toHaveLength(1);
    expect(state.statut).toBe('A_MODIFIER');
  });

  it('EML-2: records an email once: the same causing event and template again appends nothing', () => {
    given(...POULAT_A_MODIFIER, { type: 'EmailSent', data: { ...sent().data, sentAt: AT } })
      .when(sent())
      .then();
  });

  it('EML-2: records another template caused by the same event', () => {
    given(...POULAT_A_MODIFIER, { type: 'EmailSent', data: { ...sent().data, sentAt: AT } })
      .when(sent('MODIFICATION_RELANCE'))
      .then({ type: 'EmailSent', data: { ...sent('MODIFICATION_RELANCE').data, sentAt: AT } });
  });

  it('EML-2: records the same template again when another event caused it', () => {
    const other = { ...sent().data, causationEventId: 'evt-modification-requested-m2' };
    given(...POULAT_A_MODIFIER, { type: 'EmailSent', data: { ...sent().data, sentAt: AT } })
      .when({ ...sent(), data: other })
      .then({ type: 'EmailSent', data: { ...other, sentAt: AT } });
  });

  it('DOS-2: refuses DOSSIER_INCONNU an email for a dossier that does not exist', () => {
    given().when(sent('MODIFICATION_DEMANDEE', 'FINSAS000001')).thenFails('DOSSIER_INCONNU');
  });
});
