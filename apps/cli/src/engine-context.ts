import { NestFactory } from '@nestjs/core';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { EngineModule } from '@segur/engine';
import type { Infrastructure } from '@segur/platform';

/**
 * The CLI goes through the same CommandBus and QueryBus as the API: a Nest context of the engine on
 * the opened infrastructure, closed when `work` ends.
 */
export const withEngine = async <T>(
  infra: Infrastructure,
  work: (buses: { commands: CommandBus; queries: QueryBus }) => Promise<T>,
): Promise<T> => {
  const app = await NestFactory.createApplicationContext(EngineModule.forRoot(infra), { logger: false });
  try {
    return await work({ commands: app.get(CommandBus), queries: app.get(QueryBus) });
  } finally {
    await app.close();
  }
};
