import { createTestSqlClient, type TestSqlClient } from '@segur/event-store';
import { COMMAND_LOG_MIGRATIONS } from './command-log';
import type { CommandLogEntry } from './command-log-entry';
import { recordCommandsInBulk } from './command-log.bulk';

// The import, the commands' group commit and the deadlines firer all log through this statement.
describe('recordCommandsInBulk', () => {
  let db: TestSqlClient;

  beforeAll(async () => {
    db = await createTestSqlClient('cmdlog');
    for (const statement of COMMAND_LOG_MIGRATIONS) await db.client.query(statement);
  });
  afterAll(() => db.teardown());

  const entry = (id: string, over: Partial<CommandLogEntry> = {}): CommandLogEntry => ({
    id,
    type: 'ImportSolde',
    streamId: `dossier-${id}`,
    payload: { numeroAsp: id, texte: 'l\'apostrophe, les "guillemets", \\ et é', pieces: [{ n: 1 }] },
    actor: { id: 'u1', role: 'fournisseur' },
    correlationId: `corr-${id}`,
    outcome: 'accepted',
    errorCode: null,
    streamVersion: 3,
    at: '2026-01-05T10:00:00.000Z',
    ...over,
  });

  it('writes every column as given, nulls included, and skips an id already logged', async () => {
    await recordCommandsInBulk(db.client, [
      entry('a'),
      entry('b', { streamId: null, outcome: 'refused', errorCode: 'AVANCE_NON_PAYEE', streamVersion: null }),
    ]);
    await recordCommandsInBulk(db.client, [entry('a', { outcome: 'conflict' }), entry('c')]);
    const r = await db.client.query<Record<string, unknown>>(
      `SELECT id, type, stream_id, payload, actor, correlation_id, outcome, error_code, stream_version, decided_at
       FROM command_log ORDER BY id`,
    );
    expect(r.rows).toEqual([
      {
        id: 'a',
        type: 'ImportSolde',
        stream_id: 'dossier-a',
        payload: entry('a').payload,
        actor: { id: 'u1', role: 'fournisseur' },
        correlation_id: 'corr-a',
        outcome: 'accepted',
        error_code: null,
        stream_version: 3,
        decided_at: '2026-01-05T10:00:00.000Z',
      },
      {
        id: 'b',
        type: 'ImportSolde',
        stream_id: null,
        payload: entry('b').payload,
        actor: { id: 'u1', role: 'fournisseur' },
        correlation_id: 'corr-b',
        outcome: 'refused',
        error_code: 'AVANCE_NON_PAYEE',
        stream_version: null,
        decided_at: '2026-01-05T10:00:00.000Z',
      },
      expect.objectContaining({ id: 'c', stream_id: 'dossier-c', outcome: 'accepted' }),
    ]);
  });

  it('inserts the entries in their order', async () => {
    const ids = Array.from({ length: 50 }, (_, i) => `o${String(i).padStart(2, '0')}`);
    await recordCommandsInBulk(
      db.client,
      ids.map((id) => entry(id)),
    );
    const r = await db.client.query<{ id: string }>(
      `SELECT id FROM command_log WHERE id LIKE 'o%' ORDER BY ctid`,
    );
    expect(r.rows.map((row) => row.id)).toEqual(ids);
  });
  it('with fresh ids, writes them as a plain insert, which a duplicate id fails', async () => {
    await recordCommandsInBulk(db.client, [entry('f1'), entry('f2')], { freshIds: true });
    const r = await db.client.query<{ id: string }>(
      `SELECT id FROM command_log WHERE id LIKE 'f%' ORDER BY id`,
    );
    expect(r.rows.map((row) => row.id)).toEqual(['f1', 'f2']);
    await expect(recordCommandsInBulk(db.client, [entry('f1')], { freshIds: true })).rejects.toThrow();
  });
});
