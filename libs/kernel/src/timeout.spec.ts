import { TIMED_OUT, within } from './timeout';

describe('within(promise, 0)', () => {
  it('takes a value settled by microtasks alone (an async generator yielding from its page)', async () => {
    async function* page(): AsyncGenerator<number> {
      yield 1;
      yield 2;
    }
    const it = page();
    await it.next();
    expect(await within(it.next(), 0)).toEqual({ value: 2, done: false });
  });

  it('does not wait for a value that needs I/O or a timer (the next database read)', async () => {
    const later = new Promise<string>((resolve) => setTimeout(() => resolve('late'), 20));
    expect(await within(later, 0)).toBe(TIMED_OUT);
    expect(await later).toBe('late');
  });
});
