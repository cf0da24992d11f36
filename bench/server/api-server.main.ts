// The API as a bench measures it: its own process (so its RSS is the server's alone, not the
// harness's), in server mode on PostgreSQL, in the scenario's schema. Mirrors apps/api/src/main.ts;
// the only differences are the pooled client bound to BENCH_SCHEMA, and BENCH_AUDIT_CHAIN. Tells its parent the port over IPC
// and stops on the parent's 'stop' message (so `--cpu-prof` gets to write its profile).
import type { AddressInfo } from 'node:net';
import { loadConfig } from '@segur/platform';
import { openEngine } from '@segur/engine';
import { PgSqlClient } from '@segur/event-store';
import { createApiApp } from '../../apps/api/src/bootstrap';

const main = async (): Promise<void> => {
  const config = loadConfig();
  const schema = process.env.BENCH_SCHEMA ?? 'public';
  const sql = await PgSqlClient.connect(config.databaseUrl ?? '', {
    schema,
    max: Number(process.env.BENCH_POOL_MAX ?? 20),
    applicationName: 'segur-bench-api',
  });
  // BENCH_AUDIT_CHAIN=off: the import-solde-chain-off scenario measures the hash chain's cost.
  const infra = await openEngine(config, {
    sql,
    ...(process.env.BENCH_AUDIT_CHAIN === 'off' ? { auditChain: false } : {}),
  });
  const app = await createApiApp(infra);
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  process.on('message', (message) => {
    if (message !== 'stop') return;
    void (async () => {
      await app.close();
      await infra.close();
      await sql.close();
      process.exit(0);
    })();
  });
  process.send?.({ port });
};

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
