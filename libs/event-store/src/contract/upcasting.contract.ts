import { Upcasters } from '../upcasters';
import { collect, ev, prefix, visible, type ContractSubject } from './contract-support';

/** Upcasters applied on every read path; needs a second store from the factory. */
export const describeUpcastingContract = (subject: ContractSubject): void => {
  describe('upcasting', () => {
    it('upcasts old schema versions on every read path', async () => {
      const upcasters = new Upcasters()
        .register('ContactSupportEdited', 1, (d) => ({
          ...(d as object),
          email: (d as { mail: string }).mail,
        }))
        .register('ContactSupportEdited', 2, (d) => ({ ...(d as object), telephone: null }));
      const { store: up, teardown: down } = await subject.factory({ upcasters });
      try {
        const start = await up.headPosition();
        const s = `${prefix()}dossier`;
        const { lastPosition } = await up.appendToStream(
          s,
          [
            ev('ContactSupportEdited', { mail: 'a@b.fr' }, { schemaVersion: 1 }),
            ev(
              'ContactSupportEdited',
              { mail: 'c@d.fr', email: 'c@d.fr', telephone: '01' },
              { schemaVersion: 3 },
            ),
          ],
          { expectedVersion: 'no_stream' },
        );
        const expected = [
          { schemaVersion: 3, data: { mail: 'a@b.fr', email: 'a@b.fr', telephone: null } },
          { schemaVersion: 3, data: { mail: 'c@d.fr', email: 'c@d.fr', telephone: '01' } },
        ];
        await visible(up, lastPosition);
        expect(await up.readStream(s)).toMatchObject(expected);
        expect((await up.readStreams([s])).get(s)).toMatchObject(expected);
        expect(
          (await up.readAll({ after: start, limit: 10, filter: { streamPrefix: s } })).events,
        ).toMatchObject(expected);
        const { sub, stop } = collect(up, { from: start, filter: { streamPrefix: s } });
        try {
          expect(await sub.until(2)).toMatchObject(expected);
        } finally {
          await stop();
        }
      } finally {
        await down();
      }
    });
  });
};
