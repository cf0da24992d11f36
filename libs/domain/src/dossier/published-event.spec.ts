import { publishedEvent } from './published-event';

describe('what the feed and webhooks publish of an event', () => {
  it('EmailSent without the recipient’s address, naming the fournisseur instead', () => {
    const sent = {
      type: 'EmailSent',
      data: { numeroAsp: 'FINSAS000001', to: 'contact@editeur.fr', template: 'rappel', messageId: 'm1' },
    };
    expect(publishedEvent(sent)).toEqual({
      type: 'EmailSent',
      data: { numeroAsp: 'FINSAS000001', template: 'rappel', messageId: 'm1', destinataire: 'fournisseur' },
    });
    // The stored event itself is left alone (the back office's event list keeps the address).
    expect(sent.data.to).toBe('contact@editeur.fr');
  });

  it('every other event, and an EmailSent without data object, unchanged (the same object)', () => {
    const other = { type: 'SoldeImported', data: { to: 'x@y.fr' } };
    expect(publishedEvent(other)).toBe(other);
    const odd = { type: 'EmailSent', data: null };
    expect(publishedEvent(odd)).toBe(odd);
    const text = { type: 'EmailSent', data: 'to' };
    expect(publishedEvent(text)).toBe(text);
  });
});
