import { WrongExpectedVersionError, type EventStore } from '../event-store.port';
import { collect, ev, prefix, readAllFrom, type ContractSubject } from './contract-support';

/** Many concurrent appenders against a live subscriber (for adapters that can take it). */
export const describeTortureContract = (subject: ContractSubject): void => {
  let store: EventStore;
  // The contract's own beforeAll, registered before this one, has opened the store.
  beforeAll(() => {
    ({ store } = subject);
  });

  it('many concurrent appenders: versions without holes, a live subscriber sees each event once', async () => {
    const start = await store.headPosition();
    const p = prefix();
    const { sub, stop } = collect(store, { from: start, filter: { streamPrefix: p }, batchSize: 50 });
    const writers = 8;
    const appendsPerWriter = 25;
    try {
      await Promise.all(
        Array.from({ length: writers }, async (_, w) => {
          for (let i = 0; i < appendsPerWriter; i++) {
            const s = `${p}${i % 4}`;
            // Decide on a read version, retry on conflict: what command handlers do.
            for (;;) {
              const version = await store.streamVersion(s);
              try {
                await store.appendToStream(s, [ev('T', { w, i })], { expectedVersion: version });
                break;
              } catch (e) {
                if (!(e instanceof WrongExpectedVersionError)) throw e;
              }
            }
          }
        }),
      );
      await sub.until(writers * appendsPerWriter, 20_000);
    } finally {
      await stop();
    }
    for (let i = 0; i < 4; i++) {
      const versions = (await store.readStream(`${p}${i}`)).map((e) => e.streamVersion);
      expect(versions).toEqual(versions.map((_, k) => k + 1));
    }
    const read = await readAllFrom(store, { after: start, limit: 100, filter: { streamPrefix: p } });
    expect(sub.events.map((e) => e.id)).toEqual(read.map((e) => e.id));
    expect(new Set(sub.events.map((e) => e.id)).size).toBe(writers * appendsPerWriter);
  }, 30_000);
};
