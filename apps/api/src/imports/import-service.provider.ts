import type { Provider } from '@nestjs/common';
import { INFRA, ImportService, type BlobStore, type Infrastructure } from '@segur/application';
import { BLOB_STORE } from '../dossiers/blob-store.provider';

export const importServiceProvider: Provider = {
  provide: ImportService,
  inject: [INFRA, BLOB_STORE],
  useFactory: (infra: Infrastructure, blobs: BlobStore) =>
    new ImportService({
      config: infra.config,
      sql: infra.sql,
      store: infra.store,
      decider: infra.decider,
      commands: infra.commands,
      blobs,
    }),
};
