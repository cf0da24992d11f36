import { abortableSleep, backoffDelay, DEFAULT_BACKOFF } from './eventstoredb.backoff';

describe('resubscription backoff', () => {
  const noJitter = { ...DEFAULT_BACKOFF, jitter: 0 };

  it('doubles from 100 ms and stops at the cap', () => {
    const schedule = Array.from({ length: 12 }, (_, attempt) => backoffDelay(attempt, noJitter));
    expect(schedule).toEqual([100, 200, 400, 800, 1600, 3200, 6400, 12800, 25600, 30000, 30000, 30000]);
  });

  it('stays at the cap after a very long outage', () => {
    expect(backoffDelay(10_000, noJitter)).toBe(30_000);
  });

  it('takes at most the jitter share off, never adds', () => {
    expect(backoffDelay(3, DEFAULT_BACKOFF, () => 0)).toBe(800);
    expect(backoffDelay(3, DEFAULT_BACKOFF, () => 0.999999)).toBe(640);
    expect(backoffDelay(20, DEFAULT_BACKOFF, () => 0.5)).toBe(27_000);
  });

  it('sleeps until aborted, not longer', async () => {
    const controller = new AbortController();
    const started = Date.now();
    const sleeping = abortableSleep(60_000, controller.signal);
    controller.abort();
    await sleeping;
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});
