import type { AuditLog } from '@segur/event-store';

export interface ChainOutput {
  out: (text: string) => void;
  err: (text: string) => void;
}

/**
 * `audit chain`: chains the events written before the hash chain, a batch at a time (each batch
 * commits: interrupted, the next run resumes where this one stopped). Returns the exit code: 1
 * while events are left unchained. A store that can never chain them (EventStoreDB: immutable
 * events) says why instead of pretending to try.
 */
export const chainPendingEvents = async (
  log: AuditLog,
  batchSize: number,
  io: ChainOutput,
): Promise<number> => {
  if (log.cannotChain !== undefined) {
    const left = await log.unchainedCount();
    io.err(`${log.cannotChain}\n`);
    io.out(`0 événement(s) chaîné(s), ${left} restant(s)\n`);
    return left > 0 ? 1 : 0;
  }
  const before = await log.unchainedCount();
  let done = 0;
  for (let n = await log.chainPending(batchSize); n > 0; n = await log.chainPending(batchSize)) {
    done += n;
    io.err(`\r${done} / ${before} événements chaînés`);
  }
  const left = await log.unchainedCount();
  io.out(`${before === 0 ? '' : '\n'}${done} événement(s) chaîné(s), ${left} restant(s)\n`);
  return left > 0 ? 1 : 0;
};
