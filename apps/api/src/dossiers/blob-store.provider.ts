import { join } from 'node:path';
import type { Provider } from '@nestjs/common';
import { APP_CONFIG, FsBlobStore, type AppConfig } from '@segur/application';

export const BLOB_STORE = Symbol('BLOB_STORE');

export const blobStoreProvider: Provider = {
  provide: BLOB_STORE,
  inject: [APP_CONFIG],
  useFactory: (config: AppConfig) => new FsBlobStore(join(config.dataDir, 'blobs')),
};
