import { randomUUID } from 'node:crypto';
import {
  comparePositions,
  type EventMetadata,
  type EventStore,
  type NewEvent,
  type ReadAllOptions,
  type RecordedEvent,
  type SubscribeOptions,
} from '../event-store.port';
import type { Upcasters } from '../upcasters';
import { SubscriptionCollector } from './subscription-collector';

export interface ContractStoreOptions {
  /** The store under test must apply these on every read path. */
  upcasters?: Upcasters;
}

export type ContractStoreFactory = (
  options?: ContractStoreOptions,
) => Promise<{ store: EventStore; teardown: () => Promise<void> }>;

/** What each part of the contract tests: the store its beforeAll opened, and the factory. */
export interface ContractSubject {
  store: EventStore;
  readonly factory: ContractStoreFactory;
}

export const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

export const metadata = (overrides: Partial<EventMetadata> = {}): EventMetadata => ({
  actor: { id: 'agent-1', role: 'instructeur' },
  correlationId: randomUUID(),
  causationId: null,
  commandId: randomUUID(),
  ...overrides,
});

export const ev = (
  type: string,
  data: Record<string, unknown> = {},
  extra: Partial<NewEvent> = {},
): NewEvent => ({
  type,
  data,
  metadata: metadata(),
  ...extra,
});

/** A fresh stream prefix per test: the store is shared by the tests of one run. */
export const prefix = (): string => `c${randomUUID().slice(0, 8)}-`;

export const readAllFrom = async (store: EventStore, options: ReadAllOptions): Promise<RecordedEvent[]> => {
  const out: RecordedEvent[] = [];
  let after = options.after ?? null;
  for (;;) {
    const page = await store.readAll({ ...options, after });
    out.push(...page.events);
    if (page.events.length < options.limit) return out;
    after = page.cursor;
  }
};

/**
 * Gap-safe stores (PostgreSQL) show a committed event to readAll only once every older transaction
 * has ended — including other test files' transactions on the same server. A one-shot readAll right
 * after an append can therefore legitimately return less; wait until the head has reached `position`.
 */
export const visible = async (store: EventStore, position: string): Promise<void> => {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const head = await store.headPosition();
    if (head !== null && comparePositions(head, position) >= 0) return;
    if (Date.now() > deadline) throw new Error(`head ${head} never reached ${position}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

export const expectStrictlyIncreasing = (events: readonly RecordedEvent[]): void => {
  for (let i = 1; i < events.length; i++) {
    expect(
      comparePositions((events[i - 1] as RecordedEvent).position, (events[i] as RecordedEvent).position),
    ).toBe(-1);
  }
};

/** subscribeToAll drained in the background (see SubscriptionCollector); `stop` ends it and waits. */
export const collect = (
  store: EventStore,
  options: Omit<SubscribeOptions, 'signal'>,
): { sub: SubscriptionCollector; stop: () => Promise<void> } => {
  const ac = new AbortController();
  const sub = new SubscriptionCollector(store.subscribeToAll({ ...options, signal: ac.signal }));
  const stop = async (): Promise<void> => {
    ac.abort();
    await sub.done;
  };
  return { sub, stop };
};
