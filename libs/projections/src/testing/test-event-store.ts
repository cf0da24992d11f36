// One place to change when the memory store's export moves: tests build their store here.
export { InMemoryEventStore } from '../../../event-store/src/memory/memory.event-store';
