import type { EventStore } from '../event-store.port';
import { describeAppendManyContract } from './append-many.contract';
import { describeAppendContract } from './append.contract';
import type { ContractStoreFactory, ContractSubject } from './contract-support';
import { describeReadAllContract } from './read-all.contract';
import { describeSubscribeContract } from './subscribe.contract';
import { describeTortureContract } from './torture.contract';
import { describeUpcastingContract } from './upcasting.contract';

export type { ContractStoreFactory, ContractStoreOptions } from './contract-support';

/**
 * The behaviour every EventStore adapter must show. `factory` may be called more than once (the
 * upcasting test asks for a store with upcasters); a factory that ignores its options fails that test.
 * The tests are grouped by concern in the *.contract.ts files beside this one.
 */
export const describeEventStoreContract = (
  name: string,
  factory: ContractStoreFactory,
  options: { torture?: boolean } = {},
): void => {
  describe(`EventStore contract: ${name}`, () => {
    const subject: ContractSubject = { store: undefined as unknown as EventStore, factory };
    let teardown: () => Promise<void>;

    beforeAll(async () => {
      ({ store: subject.store, teardown } = await factory());
    });
    afterAll(async () => {
      await teardown?.();
    });

    describeAppendContract(subject);
    describeAppendManyContract(subject);
    describeReadAllContract(subject);
    describeSubscribeContract(subject);
    describeUpcastingContract(subject);
    if (options.torture) describeTortureContract(subject);
  });
};
