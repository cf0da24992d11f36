import { WakeUp } from './wake-up';

// Which delay each wait uses is observed through fake timers: a wait is done once the clock has
// advanced by its delay, never before (no real time is measured).
describe('WakeUp.waitAfterRead', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  const POLL = 500;

  /** The delay after which `wait` settles, found by advancing the fake clock 1 ms at a time. */
  const delayOf = async (wait: Promise<unknown>): Promise<number> => {
    let settled = false;
    void wait.then(() => (settled = true));
    for (let ms = 0; ms <= POLL; ms++) {
      await Promise.resolve();
      if (settled) return ms;
      await jest.advanceTimersByTimeAsync(1);
    }
    return Infinity;
  };

  it('waits the poll interval after a read that found events', async () => {
    const wake = new WakeUp();
    expect(await delayOf(wake.waitAfterRead(3, POLL))).toBe(POLL);
  });

  it('re-reads after short doubling delays, capped, when a notification led to an empty read, then polls', async () => {
    const wake = new WakeUp(5, 20, 55);
    wake.notify();
    expect(await delayOf(wake.wait(POLL))).toBe(0);
    expect(await delayOf(wake.waitAfterRead(0, POLL))).toBe(5);
    expect(await delayOf(wake.waitAfterRead(0, POLL))).toBe(10);
    expect(await delayOf(wake.waitAfterRead(0, POLL))).toBe(20);
    expect(await delayOf(wake.waitAfterRead(0, POLL))).toBe(20);
    expect(await delayOf(wake.waitAfterRead(0, POLL))).toBe(POLL);
  });

  it('stops chasing as soon as a read finds events', async () => {
    const wake = new WakeUp(5, 20, 55);
    wake.notify();
    await delayOf(wake.wait(POLL));
    expect(await delayOf(wake.waitAfterRead(0, POLL))).toBe(5);
    expect(await delayOf(wake.waitAfterRead(1, POLL))).toBe(POLL);
  });

  it('an empty read after a timeout (no notification) waits the poll interval', async () => {
    const wake = new WakeUp(5, 20, 55);
    expect(await delayOf(wake.waitAfterRead(0, POLL))).toBe(POLL);
  });

  it('a notification still cuts a chase delay short', async () => {
    const wake = new WakeUp(50, 50, 500);
    wake.notify();
    await delayOf(wake.wait(POLL));
    const waiting = wake.waitAfterRead(0, POLL);
    wake.notify();
    expect(await delayOf(waiting)).toBe(0);
  });
});
