import { Module, type DynamicModule, type Type } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { AuthGuard, ProblemFilter, SegurCoreModule, type Infrastructure } from '@segur/application';
import { SystemController } from './system/system.controller';
import { ReadinessService } from './system/readiness.service';
import { DossierCommandsController } from './dossiers/dossier-commands.controller';
import { DossierEventsController } from './dossiers/dossier-events.controller';
import { CommandHttpService } from './dossiers/command-http.service';
import { blobStoreProvider } from './dossiers/blob-store.provider';
import { FeedController } from './feed/feed.controller';

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
      controllers: [SystemController, DossierCommandsController, DossierEventsController, FeedController],
      providers: [
        ReadinessService,
        CommandHttpService,
        blobStoreProvider,
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_FILTER, useClass: ProblemFilter },
      ],
    };
  }
}
