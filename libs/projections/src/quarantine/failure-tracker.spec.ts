import type { Clock } from '@segur/kernel';
import { FailureTracker } from './failure-tracker';

// A clock the test moves by hand: the failure times are the instants it says, no waiting.
const manualClock = (start: string): Clock & { advance(ms: number): void } => {
  let now = new Date(start).getTime();
  return { now: () => new Date(now), advance: (ms) => void (now += ms) };
};

describe('FailureTracker (attempts before quarantine)', () => {
  it('counts the attempts of one event and is exhausted at the limit, with first and last failure times', () => {
    const clock = manualClock('2026-03-02T09:00:00Z');
    const tracker = new FailureTracker(clock, 3);
    const first = tracker.record('suivi', 'ev-1', 'boom 1');
    expect(first).toEqual({
      eventId: 'ev-1',
      attempts: 1,
      firstFailureAt: new Date('2026-03-02T09:00:00Z'),
      lastFailureAt: new Date('2026-03-02T09:00:00Z'),
      lastError: 'boom 1',
    });
    expect(tracker.exhausted(first)).toBe(false);
    clock.advance(60_000);
    expect(tracker.exhausted(tracker.record('suivi', 'ev-1', 'boom 2'))).toBe(false);
    clock.advance(60_000);
    const third = tracker.record('suivi', 'ev-1', 'boom 3');
    expect(third.attempts).toBe(3);
    expect(third.firstFailureAt).toEqual(new Date('2026-03-02T09:00:00Z'));
    expect(third.lastFailureAt).toEqual(new Date('2026-03-02T09:02:00Z'));
    expect(third.lastError).toBe('boom 3');
    expect(tracker.exhausted(third)).toBe(true);
  });

  it('keeps projections and events apart, and starts over once an event is cleared', () => {
    const tracker = new FailureTracker(manualClock('2026-03-02T09:00:00Z'), 2);
    tracker.record('suivi', 'ev-1', 'x');
    expect(tracker.record('lists', 'ev-1', 'x').attempts).toBe(1);
    expect(tracker.record('suivi', 'ev-2', 'x').attempts).toBe(1);
    expect(tracker.has('suivi', 'ev-1')).toBe(true);
    tracker.clear('suivi', 'ev-1');
    expect(tracker.has('suivi', 'ev-1')).toBe(false);
    expect(tracker.record('suivi', 'ev-1', 'x').attempts).toBe(1);
  });

  it('refuses a limit that is not a positive integer', () => {
    expect(() => new FailureTracker(manualClock('2026-03-02T09:00:00Z'), 0)).toThrow(/essais/);
  });
});
