import { mkdtemp, readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileMailer } from '../mailer';
import { formatEuros } from './format-fr';
import { emailMessageId, renderEmail } from './render-email';

const base = { numeroAsp: 'FINSAS008539', publicUrl: 'https://segur.example.fr/' };
const champs = [{ field: 'contactSupport', value: 'pascal.breton@axyus.com' }];

describe('gabarits de courriels', () => {
  test('montants à la française', () => {
    expect(formatEuros(7_000_000)).toBe('70000,00 €');
    expect(formatEuros(0)).toBe('0,00 €');
    expect(formatEuros(105)).toBe('1,05 €');
  });

  test('relance J+10 : rappelle le commentaire et les données à modifier, objet avec le numéro ASP', () => {
    const m = renderEmail('MODIFICATION_RELANCE', {
      ...base,
      version: 'M1',
      commentaire: 'test modif',
      champs,
      expiresAt: '2023-08-27T08:00:00.000Z',
    });
    expect(m.subject).toContain('FINSAS008539');
    expect(m.text).toContain('> test modif');
    expect(m.text).toContain('pascal.breton@axyus.com');
    expect(m.text).toContain('https://segur.example.fr/dossiers/FINSAS008539');
    expect(m.text).toContain('au risque d’être rejetée');
  });

  test('expiration J+20 : « instruite en l’état, au risque d’être rejetée »', () => {
    const m = renderEmail('MODIFICATION_EXPIREE', { ...base, version: 'M1' });
    expect(m.subject).toBe('Demande de solde FINSAS008539 : délai de modification expiré');
    expect(m.text).toContain('« En cours »');
    expect(m.text).toContain('instruite en l’état, au risque d’être rejetée');
  });

  test('validation : montants, et décision d’attribution modificative avec les différences', () => {
    const simple = renderEmail('SOLDE_VALIDE', {
      ...base,
      engagementRetenuCents: 10_000_000,
      soldeDecideCents: 7_000_000,
      decisionModificative: null,
    });
    expect(simple.subject).toBe('Demande de solde FINSAS008539 : validée');
    expect(simple.text).toContain('Engagement retenu : 100000,00 €');
    expect(simple.text).toContain('Solde décidé : 70000,00 €');
    const modif = renderEmail('SOLDE_VALIDE', {
      ...base,
      engagementRetenuCents: 12_000_000,
      soldeDecideCents: 9_000_000,
      decisionModificative: {
        differences: [{ champ: 'montant total HT', avance: '100000,00', solde: '120000,00' }],
      },
    });
    expect(modif.subject).toContain('décision d’attribution modificative');
    expect(modif.text).toContain('montant total HT : avance 100000,00, solde 120000,00');
  });

  test('rejet : le motif, échappé en HTML', () => {
    const m = renderEmail('SOLDE_REJETE', { ...base, motif: 'Pièce "VA" <absente> & facture' });
    expect(m.text).toContain('Pièce "VA" <absente> & facture');
    expect(m.html).toContain('Pièce &quot;VA&quot; &lt;absente&gt; &amp; facture');
  });

  test('accusé de réception de la modification : données modifiées et pièces ajoutées', () => {
    const m = renderEmail('MODIFICATION_SOUMISE', {
      ...base,
      version: 'M1',
      changes: [{ field: 'contactSupport', from: 'a@b.fr', to: 'test123@gmail.com' }],
      piecesAjoutees: ['PJ_Demande.pdf (AUTRE_S)'],
    });
    expect(m.text).toContain('a@b.fr → test123@gmail.com');
    expect(m.text).toContain('- PJ_Demande.pdf (AUTRE_S)');
    expect(m.text).toContain('à nouveau instruite');
  });

  test('FileMailer : un .eml par Message-ID sous DATA_DIR/outbox', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'segur-mail-'));
    const mailer = new FileMailer(dir);
    const m = renderEmail('SOLDE_REJETE', { ...base, motif: 'm' });
    const messageId = emailMessageId('0190-abc', 'SOLDE_REJETE');
    const email = { from: 'ne-pas-repondre@segur.local', to: 'x@y.fr', ...m, messageId };
    await mailer.send(email);
    await mailer.send(email);
    const files = await readdir(join(dir, 'outbox'));
    expect(files).toHaveLength(1);
    expect(await readFile(join(dir, 'outbox', files[0]!), 'utf8')).toContain(`Message-ID: ${messageId}`);
    await mailer.close();
  });
});
