import { sleep } from './abortable';
import { backoffDelay } from './backoff';

describe('backoffDelay', () => {
  const o = { baseMs: 100, maxMs: 30_000 };

  it('doubles from the base and stops at the cap', () => {
    const schedule = Array.from({ length: 12 }, (_, i) => backoffDelay(i + 1, o));
    expect(schedule).toEqual([100, 200, 400, 800, 1600, 3200, 6400, 12800, 25600, 30000, 30000, 30000]);
  });

  it('stays at the cap after a very long outage (no overflow to Infinity)', () => {
    expect(backoffDelay(10_000, o)).toBe(30_000);
  });

  it('counts attempts from 1: attempt 0 or below is the base delay', () => {
    expect(backoffDelay(0, o)).toBe(100);
    expect(backoffDelay(-3, o)).toBe(100);
  });

  it('takes at most the jitter share off, never adds', () => {
    const jittered = { ...o, jitter: 0.2 };
    expect(backoffDelay(4, jittered, () => 0)).toBe(800);
    expect(backoffDelay(4, jittered, () => 0.999999)).toBe(640);
    expect(backoffDelay(21, jittered, () => 0.5)).toBe(27_000);
  });

  it('never answers 0, even with a full jitter', () => {
    expect(backoffDelay(1, { baseMs: 1, maxMs: 1, jitter: 1 }, () => 0.999999)).toBe(1);
  });
});

describe('sleep', () => {
  afterEach(() => jest.useRealTimers());

  it('resolves when its signal aborts, without the time passing', async () => {
    jest.useFakeTimers();
    const controller = new AbortController();
    let done = false;
    const sleeping = sleep(60_000, controller.signal).then(() => (done = true));
    await Promise.resolve();
    expect(done).toBe(false);
    controller.abort();
    await sleeping;
    expect(done).toBe(true);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('resolves after its time when nothing aborts it', async () => {
    jest.useFakeTimers();
    let done = false;
    const sleeping = sleep(1_000).then(() => (done = true));
    jest.advanceTimersByTime(999);
    await Promise.resolve();
    expect(done).toBe(false);
    jest.advanceTimersByTime(1);
    await sleeping;
    expect(done).toBe(true);
  });
});
