import { draftFieldEdits } from './draft-fields';

describe('draftFieldEdits', () => {
  it('gives each top-level field as sent', () => {
    expect(draftFieldEdits({ contactSupport: 'x@y.fr', autre: null })).toEqual([
      { path: 'contactSupport', value: 'x@y.fr' },
      { path: 'autre', value: null },
    ]);
  });

  it('opens groups into dotted paths, down to four segments', () => {
    expect(draftFieldEdits({ a: { b: { c: { d: 'x' } }, b2: 'y' } })).toEqual([
      { path: 'a.b.c.d', value: 'x' },
      { path: 'a.b2', value: 'y' },
    ]);
  });

  it('does not open a group past four segments: the fourth holds the rest as its value', () => {
    expect(draftFieldEdits({ a: { b: { c: { d: { e: 'x' } } } } })).toEqual([
      { path: 'a.b.c.d', value: { e: 'x' } },
    ]);
  });

  it('keeps an empty group as one field', () => {
    expect(draftFieldEdits({ a: {} })).toEqual([{ path: 'a', value: {} }]);
  });
});
