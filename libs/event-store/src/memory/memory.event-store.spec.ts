import { describeEventStoreContract } from '../contract/event-store.contract';
import { InMemoryEventStore } from './memory.event-store';

describeEventStoreContract(
  'memory',
  async (options) => {
    const store = new InMemoryEventStore({ upcasters: options?.upcasters });
    return { store, teardown: () => store.close() };
  },
  { torture: true },
);
