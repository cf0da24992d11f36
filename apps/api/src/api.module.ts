import { Module, type DynamicModule, type Type } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import {
  AuthGuard,
  ProblemFilter,
  SegurCoreModule,
  WebhookService,
  type Infrastructure,
} from '@segur/application';
import { SystemController } from './system/system.controller';
import { ReadinessService } from './system/readiness.service';
import { DossierCommandsController } from './dossiers/dossier-commands.controller';
import { DossierEventsController } from './dossiers/dossier-events.controller';
import { CommandHttpService } from './dossiers/command-http.service';
import { blobStoreProvider } from './dossiers/blob-store.provider';
import { FeedController } from './feed/feed.controller';
import { ImportsController } from './imports/imports.controller';
import { FournisseursController } from './fournisseurs/fournisseurs.controller';
import { PiecesController } from './pieces/pieces.controller';
import { ImportUploadInterceptor } from './imports/import-upload.interceptor';
import { importServiceProvider } from './imports/import-service.provider';
import { DossierReadsController } from './reads/dossier-reads.controller';
import { readYourWritesProvider } from './reads/read-your-writes.provider';
import { ReportsController } from './reads/reports.controller';
import { WebhooksController } from './webhooks/webhooks.controller';

export interface ApiModuleOptions {
  /** Extra Nest modules mounted in the same process (the worker, in embedded mode). */
  imports?: (Type | DynamicModule)[];
}

@Module({})
export class ApiModule {
  static forRoot(infra: Infrastructure, options: ApiModuleOptions = {}): DynamicModule {
    return {
      module: ApiModule,
      imports: [SegurCoreModule.forRoot(infra), ...(options.imports ?? [])],
      controllers: [
        SystemController,
        DossierCommandsController,
        DossierEventsController,
        FeedController,
        DossierReadsController,
        ReportsController,
        WebhooksController,
        ImportsController,
        FournisseursController,
        PiecesController,
      ],
      providers: [
        ReadinessService,
        CommandHttpService,
        blobStoreProvider,
        importServiceProvider,
        ImportUploadInterceptor,
        readYourWritesProvider,
        WebhookService,
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_FILTER, useClass: ProblemFilter },
      ],
    };
  }
}
