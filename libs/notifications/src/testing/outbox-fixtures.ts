import { waitFor as waitForEvery } from '../../../projections/src/testing/recorded';

export { recorded } from '../../../projections/src/testing/recorded';
export { sleep } from '@segur/kernel';

/** waitFor, looking every 30 ms: the outbox specs time rate limits closely. */
export const waitFor = (check: () => boolean | Promise<boolean>, timeoutMs = 5_000): Promise<void> =>
  waitForEvery(check, timeoutMs, 30);
