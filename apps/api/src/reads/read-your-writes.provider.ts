import type { Provider } from '@nestjs/common';
import { ReadYourWrites, SQL_CLIENT } from '@segur/application';
import type { SqlClient } from '@segur/event-store';

export const readYourWritesProvider: Provider = {
  provide: ReadYourWrites,
  inject: [SQL_CLIENT],
  useFactory: (sql: SqlClient) => new ReadYourWrites(sql),
};
