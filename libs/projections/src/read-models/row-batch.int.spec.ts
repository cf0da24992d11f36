import { createTestSqlClient, type SqlExecutor, type TestSqlClient } from '@segur/event-store';
import { copyRows, insertRows } from './row-batch';

// COPY's text format gives a backslash, a tab and a newline a meaning of their own: the rows must
// come out of COPY exactly as out of the JSON-parameter INSERT it replaces.
describe(`copyRows (${process.env.TEST_DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
  let t: TestSqlClient;
  const columns = ['id', 'label', 'doc', 'tags', 'at', 'n', 'big', 'ok'];
  const rows = [
    {
      id: 1,
      label: 'tab\there, newline\nthere, return\r, backslash \\ and \\N',
      doc: { commentaire: 'ligne 1\nligne 2 "citée" \\ fin\t.', vide: null },
      tags: ['a\\b', 'c\td'],
      at: '2023-03-05T09:00:00.000Z',
      n: 42,
      big: '9007199254740993',
      ok: true,
    },
    {
      id: 2,
      label: null,
      doc: [],
      tags: {},
      at: new Date('2023-03-06T10:30:00.123Z'),
      n: -1,
      big: 0,
      ok: false,
    },
    { id: 3, doc: { é: 'àçœ ✓' }, tags: [], at: '2023-03-07T00:00:00+02:00', n: 0, big: null, ok: null },
  ];
  const dump = async (table: string): Promise<string> =>
    JSON.stringify((await t.client.query(`SELECT * FROM ${table} ORDER BY id`)).rows);

  beforeAll(async () => {
    t = await createTestSqlClient('row_batch');
    for (const table of ['by_copy', 'by_json'])
      await t.client.query(
        `CREATE TABLE ${table} (id integer PRIMARY KEY, label text, doc json, tags jsonb, at timestamptz, n integer, big bigint, ok boolean)`,
      );
  });
  afterAll(() => t.teardown());

  it('writes the rows the JSON-parameter INSERT writes', async () => {
    const copied = await t.client.transaction((tx) => copyRows(tx, 'by_copy', columns, rows));
    // The same insert without COPY: an executor that only has `query`.
    await t.client.transaction((tx) => {
      const withoutCopy: SqlExecutor = { query: (text, params) => tx.query(text, params) };
      return insertRows(withoutCopy, 'by_json', columns, rows);
    });
    // COPY on pg; PGlite has none, and copyRows says so without writing.
    expect(copied).toBe(t.client.kind === 'pg');
    if (!copied) await t.client.transaction((tx) => insertRows(tx, 'by_copy', columns, rows));
    expect(await dump('by_copy')).toBe(await dump('by_json'));
    expect(await dump('by_copy')).toContain('backslash \\\\ and \\\\N');
  });

  it('rolls back with the transaction, and a refused row writes nothing', async () => {
    const before = await dump('by_copy');
    await expect(
      t.client.transaction(async (tx) => {
        await insertRows(tx, 'by_copy', columns, [{ id: 10, n: 1 }]);
        await insertRows(tx, 'by_copy', columns, [{ id: 11, n: 'not a number' }]);
      }),
    ).rejects.toThrow();
    expect(await dump('by_copy')).toBe(before);
  });
});
