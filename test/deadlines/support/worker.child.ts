import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { loadConfig, shutdownOnSignals } from '@segur/platform';
import { openEngine } from '@segur/engine';
import { PgSqlClient, joinsTransactions } from '@segur/event-store';
import { WorkerAppModule } from '../../../apps/worker/src/worker-app.module';

/**
 * `apps/worker` as a child process of the kill test, on the test's schema. `HANG_AT` freezes the
 * first deadline batch at a chosen point, inside the batch's transaction, and tells the parent,
 * which then SIGKILLs this process:
 * `claimed`: rows locked by the claim, nothing decided yet (when the store reads the streams);
 * `appended`: reminder events inserted, the command log and the marks not yet written, nothing committed.
 */
export type HangPoint = 'claimed' | 'appended';

const main = async (): Promise<void> => {
  const url = process.env.DATABASE_URL as string;
  const sql = await PgSqlClient.connect(url, { schema: process.env.KILL_TEST_SCHEMA, max: 10 });
  const infra = await openEngine(loadConfig(process.env), { sql });
  const hangAt = process.env.HANG_AT as HangPoint | undefined;
  const hang = async (point: HangPoint): Promise<never> => {
    process.send?.({ hung: point });
    return new Promise<never>(() => undefined);
  };
  const { store } = infra;
  if (hangAt && !joinsTransactions(store))
    throw new Error('HANG_AT : le store ne rejoint pas de transaction');
  if (hangAt && joinsTransactions(store)) {
    // Only the batch firer works inside a transaction of the store in this worker.
    const join = store.joinTransaction.bind(store);
    store.joinTransaction = (tx) => {
      const joined = join(tx);
      return {
        ...joined,
        readStreamsToDecide: async (ids) =>
          hangAt === 'claimed' && ids.length > 0 ? hang('claimed') : joined.readStreamsToDecide(ids),
        appendMany: async (items) => {
          const results = await joined.appendMany(items);
          if (
            hangAt === 'appended' &&
            items.some((i) => i.events.some((e) => e.type === 'ModificationReminderSent'))
          )
            await hang('appended');
          return results;
        },
      };
    };
  }
  const app = await NestFactory.createApplicationContext(WorkerAppModule.forRoot(infra), { logger: false });
  await app.init();
  process.send?.({ ready: true });
  shutdownOnSignals(
    async () => {
      await app.close();
      await infra.close();
      await sql.close();
    },
    { logger: infra.logger, timeoutMs: 20_000 },
  );
};

main().catch((e: unknown) => {
  process.stderr.write(`worker (test) : ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
