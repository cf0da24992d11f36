import { createTestSqlClient, type TestSqlClient } from './test-sql-client';

describe(`SqlClient (${process.env.TEST_DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
  let t: TestSqlClient;
  beforeAll(async () => {
    t = await createTestSqlClient();
  });
  afterAll(() => t.teardown());

  it('creates tables in its own schema and returns int8 as strings', async () => {
    await t.client.query('CREATE TABLE things (id bigint PRIMARY KEY, doc jsonb)');
    await t.client.query('INSERT INTO things VALUES ($1, $2)', ['9007199254740993', { a: 1 }]);
    const r = await t.client.query<{ id: string; doc: { a: number } }>('SELECT * FROM things');
    expect(r.rows).toEqual([{ id: '9007199254740993', doc: { a: 1 } }]);
    const s = await t.client.query<{ s: string }>('SELECT current_schema() AS s');
    expect(s.rows[0]?.s).toBe(t.client.schema);
  });

  it('rolls a failed transaction back', async () => {
    await t.client.query('CREATE TABLE tx_things (id int PRIMARY KEY)');
    await expect(
      t.client.transaction(async (tx) => {
        await tx.query('INSERT INTO tx_things VALUES (1)');
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    const r = await t.client.query('SELECT * FROM tx_things');
    expect(r.rowCount).toBe(0);
  });

  it('delivers notifications to listeners', async () => {
    const got: string[] = [];
    const stop = await t.client.listen('test_channel', (p) => got.push(p));
    await t.client.query(`SELECT pg_notify('test_channel', 'hello')`);
    for (let i = 0; i < 50 && got.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    await stop();
    expect(got).toEqual(['hello']);
  });
});
