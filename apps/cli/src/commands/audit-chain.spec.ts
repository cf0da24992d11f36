import type { AuditLog } from '@segur/event-store';
import { chainPendingEvents } from './audit-chain';

// A log standing in for a store: only what `audit chain` calls.
const logOf = (unchained: number, extra: Partial<AuditLog> = {}): AuditLog => {
  let left = unchained;
  return {
    unchainedCount: async () => left,
    chainPending: async (limit: number) => {
      const n = Math.min(limit, left);
      left -= n;
      return n;
    },
    ...extra,
  } as AuditLog;
};

const run = async (log: AuditLog, batch = 2) => {
  const out: string[] = [];
  const err: string[] = [];
  const code = await chainPendingEvents(log, batch, {
    out: (t) => void out.push(t),
    err: (t) => void err.push(t),
  });
  return { code, out: out.join(''), err: err.join('') };
};

describe('audit chain', () => {
  it('chaîne par lots jusqu’au bout', async () => {
    const r = await run(logOf(5));
    expect(r).toMatchObject({ code: 0, out: '\n5 événement(s) chaîné(s), 0 restant(s)\n' });
  });

  it('sur un magasin qui ne peut pas chaîner (EventStoreDB) : dit pourquoi, sans essayer', async () => {
    const chainPending = jest.fn(async () => 0);
    const r = await run(logOf(3, { cannotChain: 'événements immuables', chainPending }));
    expect(r).toEqual({
      code: 1,
      out: '0 événement(s) chaîné(s), 3 restant(s)\n',
      err: 'événements immuables\n',
    });
    expect(chainPending).not.toHaveBeenCalled();
    expect((await run(logOf(0, { cannotChain: 'x' }))).code).toBe(0);
  });
});
