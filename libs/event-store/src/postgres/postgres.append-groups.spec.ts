import { AppendGroups, type GroupedAppend } from './postgres.append-groups';

interface Row {
  stream_id: string;
  stream_version: number;
}

class Race extends Error {}

/** A fake database: per-stream versions, optionally a race on the first run of a group. */
const fakeStore = () => {
  const versions = new Map<string, number>();
  const groups: string[][] = [];
  let raceOnce: string | null = null;
  let inFlight = 0;
  let maxSeen = 0;
  const run = async (group: ReadonlyArray<GroupedAppend<string>>): Promise<Row[]> => {
    inFlight++;
    maxSeen = Math.max(maxSeen, inFlight);
    groups.push(group.map((a) => a.streamId));
    await new Promise((resolve) => setTimeout(resolve, 5));
    inFlight--;
    if (raceOnce && group.some((a) => a.streamId === raceOnce)) {
      // Another writer took the version first; the whole statement failed, nothing written.
      versions.set(raceOnce, (versions.get(raceOnce) ?? 0) + 1);
      raceOnce = null;
      throw new Race();
    }
    const rows: Row[] = [];
    for (const a of group) {
      if ((versions.get(a.streamId) ?? 0) !== a.expected) continue;
      a.events.forEach((_, k) => rows.push({ stream_id: a.streamId, stream_version: a.expected + k + 1 }));
      versions.set(a.streamId, a.expected + a.events.length);
    }
    return rows;
  };
  return {
    run,
    groups,
    versions,
    maxInFlight: () => maxSeen,
    raceOn: (streamId: string) => (raceOnce = streamId),
  };
};

const append = (streamId: string, expected = 0, events = ['e']): GroupedAppend<string> => ({
  streamId,
  expected,
  events,
  companion: null,
});

describe('AppendGroups', () => {
  it('groups appends requested together, one per stream, and answers each with its rows', async () => {
    const db = fakeStore();
    const groups = new AppendGroups(db.run, (e) => e instanceof Race, { maxInFlight: 1 });
    const answers = await Promise.all([
      groups.append(append('a', 0, ['e1', 'e2'])),
      groups.append(append('b')),
      groups.append(append('a', 0)),
      groups.append(append('c', 3)),
    ]);
    expect(db.groups).toEqual([['a', 'b', 'c'], ['a']]);
    expect(answers.map((rows) => rows.map((r) => r.stream_version))).toEqual([[1, 2], [1], [], []]);
  });

  it('keeps at most maxInFlight groups running; later appends share the next group', async () => {
    const db = fakeStore();
    const groups = new AppendGroups(db.run, (e) => e instanceof Race, { maxInFlight: 2, maxGroup: 3 });
    await Promise.all(Array.from({ length: 10 }, (_, i) => groups.append(append(`s${i}`))));
    expect(db.maxInFlight()).toBe(2);
    expect(db.groups.map((g) => g.length)).toEqual([3, 3, 3, 1]);
  });

  it('runs a group again after a version race: only the raced stream conflicts', async () => {
    const db = fakeStore();
    const groups = new AppendGroups(db.run, (e) => e instanceof Race);
    db.raceOn('b');
    const answers = await Promise.all(['a', 'b', 'c'].map((s) => groups.append(append(s))));
    expect(answers.map((rows) => rows.length)).toEqual([1, 0, 1]);
    expect(db.groups).toEqual([
      ['a', 'b', 'c'],
      ['a', 'b', 'c'],
    ]);
  });

  it('runs each append alone when its group fails otherwise: only the faulty one fails', async () => {
    const failing = async (group: ReadonlyArray<GroupedAppend<string>>): Promise<Row[]> => {
      if (group.some((a) => a.streamId === 'bad')) throw new Error('boom');
      return group.map((a) => ({ stream_id: a.streamId, stream_version: 1 }));
    };
    const groups = new AppendGroups(failing, () => false);
    const settled = await Promise.allSettled(['a', 'bad', 'c'].map((s) => groups.append(append(s))));
    expect(settled.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  });
});
