import { EVENT_TYPE, STREAM_NAME } from '@eventstore/db-client';
import { matchesFilter, toServerFilter } from './eventstoredb.filter';

describe('EventStoreDB filters', () => {
  it('excludes system events when nothing else is asked', () => {
    expect(toServerFilter(undefined)).toMatchObject({ filterOn: EVENT_TYPE, regex: '^[^$].*' });
  });

  it('matches exact event types on the server, escaping regex characters', () => {
    const filter = toServerFilter({ types: ['AvanceImported', 'Odd.Type'] });
    expect(filter).toMatchObject({ filterOn: EVENT_TYPE, regex: '^(?:AvanceImported|Odd\\.Type)$' });
    const regex = new RegExp((filter as { regex: string }).regex);
    expect(regex.test('AvanceImported')).toBe(true);
    expect(regex.test('AvanceImportedV2')).toBe(false);
    expect(regex.test('OddxType')).toBe(false);
  });

  it('sends a stream prefix to the server and checks types client-side', () => {
    const filter = { streamPrefix: 'dossier-', types: ['SoldeImported'] };
    expect(toServerFilter(filter)).toMatchObject({ filterOn: STREAM_NAME, prefixes: ['dossier-'] });
    expect(matchesFilter({ type: 'SoldeImported', streamId: 'dossier-1' }, filter)).toBe(true);
    expect(matchesFilter({ type: 'AvanceImported', streamId: 'dossier-1' }, filter)).toBe(false);
    expect(matchesFilter({ type: 'SoldeImported', streamId: 'other-1' }, filter)).toBe(false);
  });

  it('never lets a system event through', () => {
    expect(matchesFilter({ type: '$metadata', streamId: '$$dossier-1' })).toBe(false);
    expect(matchesFilter({ type: '$>', streamId: 'dossier-1' }, { streamPrefix: 'dossier-' })).toBe(false);
  });
});
