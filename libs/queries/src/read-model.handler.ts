import { Inject } from '@nestjs/common';
import type { SqlClient, SqlExecutor } from '@segur/event-store';
import { SQL_CLIENT } from '@segur/platform';
import { ReadYourWrites } from './read-your-writes';

/** What every read of a read model does: wait for the caller's last write when asked, then read. */
export abstract class ReadModelHandler {
  constructor(
    @Inject(SQL_CLIENT) private readonly sql: SqlClient,
    private readonly ryw: ReadYourWrites,
  ) {}

  protected async read<T>(
    minPosition: string | undefined,
    projections: readonly string[],
    read: (sql: SqlExecutor) => Promise<T>,
  ): Promise<T> {
    await this.ryw.waitFor(minPosition, projections);
    return read(this.sql);
  }
}
