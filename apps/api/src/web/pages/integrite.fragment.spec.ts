import type { JournalIntegrite } from '../journal/journal-integrite';
import { integriteFragment } from './integrite.fragment';

const render = (v: JournalIntegrite): string => integriteFragment(v).value;
/** What a person reads: the markup without its tags (a line break is a space), spaces folded. */
const words = (markup: string): string =>
  markup
    .replace(/<br \/>/g, ' ')
    .replace(/<[^>]+>/g, '')
    .replace(/\s+/g, ' ')
    .trim();
const stateOf = (markup: string): string[] =>
  [...markup.matchAll(/data-integrite="([^"]*)"/g)].map((m) => m[1] as string);

const EVENT = {
  id: '0190a000-0000-7000-8000-000000000002',
  streamVersion: 2,
  type: 'AvancePaid',
  position: '00000000000000000042-00000000000000000000',
};

describe('integrity badge of the journal', () => {
  it('intact: one #integrite, state in words and in data-integrite, up to which version and checkpoint', () => {
    const out = render({
      state: 'integre',
      events: 5,
      streamVersion: 5,
      position: 'P5',
      checkpoint: { id: 12, position: 'P4', createdAt: '2026-12-06T10:00:00.000Z' },
    });
    expect(out.match(/id="integrite"/g)).toHaveLength(1);
    expect(stateOf(out)).toEqual(['integre']);
    expect(out).toContain('fr-alert--success');
    expect(out).toContain('role="status"');
    const text = words(out);
    expect(text).toContain('Chaîne intègre : les 5 événements du dossier');
    expect(text).toContain('jusqu’à la version 5 (position P5)');
    expect(text).toContain('point de contrôle signé vérifié : n° 12 du 06/12/2026 11:00 (position P4)');
  });

  it('intact without a checkpoint yet: says only the chain is checked', () => {
    const out = render({ state: 'integre', events: 1, streamVersion: 1, position: null, checkpoint: null });
    expect(words(out)).toContain('Aucun point de contrôle signé pour l’instant');
  });

  it('broken: an error alert (role alert) naming the event by version, type and id, and what differs', () => {
    const out = render({
      state: 'rompue',
      kind: 'hash',
      event: EVENT,
      difference: 'Le contenu de cet événement a été modifié.',
      expected: 'aa11',
      found: 'bb22',
      detail: 'Chaîne rompue : détail',
    });
    expect(stateOf(out)).toEqual(['rompue']);
    expect(out).toMatch(/class="fr-alert fr-alert--error" role="alert"/);
    const text = words(out);
    expect(text).toContain('Chaîne rompue');
    expect(text).toContain(
      `Premier maillon rompu : l’événement version 2, type AvancePaid, identifiant ${EVENT.id}, position ${EVENT.position}.`,
    );
    expect(text).toContain('Le contenu de cet événement a été modifié.');
    expect(text).toContain('Attendu : aa11 Trouvé : bb22');
    expect(text).not.toContain('Chaîne intègre');
  });

  it('broken in a checkpoint: no event to name, no hashes to compare', () => {
    const out = render({
      state: 'rompue',
      kind: 'signature',
      event: null,
      difference: 'Signature invalide.',
      expected: null,
      found: null,
      detail: 'x',
    });
    expect(words(out)).toContain('Premier maillon rompu : un point de contrôle signé.');
    expect(out).not.toContain('Attendu');
  });

  it('not chained: says so and how to chain them', () => {
    const out = render({ state: 'non-chainee', event: { ...EVENT, streamVersion: 1 }, detail: 'd' });
    expect(stateOf(out)).toEqual(['non-chainee']);
    const text = words(out);
    expect(text).toContain('écrits avant la chaîne de hachage');
    expect(text).toContain('à partir de l’événement version 1, type AvancePaid');
    expect(text).toContain('npm run cli -- audit chain');
    expect(text).not.toMatch(/intègre|rompue/);
  });

  it('not chained on a store that cannot chain them: its reason, never the `audit chain` remedy', () => {
    const out = render({
      state: 'non-chainee',
      event: null,
      detail: 'd',
      cannotChain: 'Les événements d’EventStoreDB sont <immuables>',
    });
    expect(stateOf(out)).toEqual(['non-chainee']);
    expect(words(out)).toContain('Les événements d’EventStoreDB sont &lt;immuables&gt;');
    expect(out).not.toContain('audit chain');
  });

  it('unavailable: says the store offers no audit trail', () => {
    const out = render({ state: 'non-disponible', detail: 'Pas offerte par le magasin eventstoredb' });
    expect(stateOf(out)).toEqual(['non-disponible']);
    expect(words(out)).toContain('Vérification de l’intégrité non disponible');
    expect(words(out)).toContain('Pas offerte par le magasin eventstoredb.');
  });

  it('escapes everything read from the store', () => {
    const out = render({
      state: 'rompue',
      kind: 'hash',
      event: { id: '<script>x</script>', streamVersion: 1, type: 'A"B', position: null },
      difference: 'd',
      expected: '<b>',
      found: null,
      detail: '<img src=x>',
    });
    expect(out).not.toMatch(/<script>|<b>|<img/);
    expect(out).toContain('&lt;script&gt;x&lt;/script&gt;');
    expect(out).toContain('A&quot;B');
    expect(out).toContain('&lt;img src=x&gt;');
  });
});
