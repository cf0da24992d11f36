import type { DossierEvent } from '@segur/domain';
import { differenceOf, type DecisionOutcome } from './redecide-stream';
import { replayWindowOf } from './replay-window';

const paid = (montantCents: number, extra: Record<string, unknown> = {}): DecisionOutcome => ({
  kind: 'accepted',
  events: [
    {
      type: 'SoldePaymentRecorded',
      data: { numeroAsp: 'FINSAS008539', datePaiement: '2023-09-04', montantCents, ...extra },
    } as unknown as DossierEvent,
  ],
});

describe('differenceOf: how a decision under the new configuration differs from the recorded one', () => {
  it('the same events, whatever their key order or undefined fields (as stored in JSON)', () => {
    const stored: DecisionOutcome = {
      kind: 'accepted',
      events: [
        {
          type: 'SoldePaymentRecorded',
          data: { montantCents: 1, datePaiement: '2023-09-04', numeroAsp: 'FINSAS008539' },
        },
      ] as unknown as DossierEvent[],
    };
    expect(differenceOf(stored, paid(1, { absent: undefined }))).toBeNull();
  });
  it('accepted ↔ refused, another refusal, other events, other amounts', () => {
    const refused = (code: string): DecisionOutcome => ({ kind: 'refused', code });
    expect(differenceOf(paid(1), refused('DATE_CLOTURE_DEPASSEE'))).toBe('accepte-vers-refuse');
    expect(differenceOf(refused('AVANCE_NON_PAYEE'), paid(1))).toBe('refuse-vers-accepte');
    expect(differenceOf(refused('A'), refused('A'))).toBeNull();
    expect(differenceOf(refused('A'), refused('B'))).toBe('refus-different');
    expect(differenceOf(paid(1), paid(2))).toBe('montants-differents');
    expect(differenceOf(paid(1), paid(1, { datePaiement: '2023-09-05' }))).toBe('evenements-differents');
    expect(differenceOf(paid(1), { kind: 'unchanged' })).toBe('evenements-differents');
    expect(differenceOf({ kind: 'unchanged' }, { kind: 'unchanged' })).toBeNull();
    expect(differenceOf({ kind: 'unchanged' }, refused('A'))).toBe('accepte-vers-refuse');
  });
  it('looks into nested objects and arrays, amounts included at any depth', () => {
    const solde = (facture: Record<string, unknown>, pieces: string[]): DecisionOutcome => ({
      kind: 'accepted',
      events: [{ type: 'SoldeImported', data: { facture, pieces } } as unknown as DossierEvent],
    });
    const base = solde({ dateFacture: '2023-02-10', montantCents: 5 }, ['VA', 'FACTURE']);
    expect(
      differenceOf(base, solde({ montantCents: 5, dateFacture: '2023-02-10' }, ['VA', 'FACTURE'])),
    ).toBeNull();
    expect(differenceOf(base, solde({ dateFacture: '2023-02-10', montantCents: 6 }, ['VA', 'FACTURE']))).toBe(
      'montants-differents',
    );
    expect(differenceOf(base, solde({ dateFacture: '2023-02-10', montantCents: 5 }, ['VA']))).toBe(
      'evenements-differents',
    );
    expect(differenceOf(base, solde({ dateFacture: '2023-02-11', montantCents: 5 }, ['VA', 'FACTURE']))).toBe(
      'evenements-differents',
    );
    expect(differenceOf(base, solde({ dateFacture: '2023-02-10' }, ['VA', 'FACTURE']))).toBe(
      'montants-differents',
    );
  });
});

describe('replayWindowOf: --from and --to', () => {
  it('a date names a whole UTC day, included at both ends; an instant is taken as is', () => {
    expect(replayWindowOf('2023-03-01', '2023-03-05')).toEqual({
      from: '2023-03-01T00:00:00.000Z',
      to: '2023-03-06T00:00:00.000Z',
    });
    expect(replayWindowOf('2023-03-01T10:00:00+01:00')).toEqual({ from: '2023-03-01T09:00:00.000Z' });
    expect(replayWindowOf()).toEqual({});
  });
  it('refuses what is not a date, and a window that ends before it starts, in French', () => {
    expect(() => replayWindowOf('hier')).toThrow(/--from : date/);
    expect(() => replayWindowOf(undefined, '2023-13-45')).toThrow(/--to/);
    expect(() => replayWindowOf('2023-02-30')).toThrow(/--from/);
    expect(() => replayWindowOf('2023-03-05', '2023-03-01')).toThrow(/précéder/);
  });
});
