// One place to change the store tests run on.
export { InMemoryEventStore } from '@segur/event-store';
