import { Module, type DynamicModule, type Type } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { EngineModule } from '@segur/engine';
import type { Infrastructure } from '@segur/platform';
import { AuditController } from './audit/audit.controller';
import { CommandHttpService } from './dossiers/command-http.service';
import { DossierCommandsController } from './dossiers/dossier-commands.controller';
import { DossierEventsController } from './dossiers/dossier-events.controller';
import { PieceUploadInterceptor } from './dossiers/piece-upload.interceptor';
import { FeedController } from './feed/feed.controller';
import { SseStreams } from './feed/sse-streams';
import { FournisseursController } from './fournisseurs/fournisseurs.controller';
import { JsonBodyInterceptor } from './http/json-body.interceptor';
import { AuthGuard } from './http/auth.guard';
import { IdempotencyService } from './http/idempotency.service';
import { ProblemFilter } from './http/problem.filter';
import { RateLimitGuard } from './http/rate-limit.guard';
import { ImportUploadInterceptor } from './imports/import-upload.interceptor';
import { ImportsController } from './imports/imports.controller';
import { BlobSweepService } from './pieces/blob-sweep.service';
import { PiecesController } from './pieces/pieces.controller';
import { DossierReadsController } from './reads/dossier-reads.controller';
import { ReportsController } from './reads/reports.controller';
import { ReadinessService } from './system/readiness.service';
import { SystemController } from './system/system.controller';
import { QuarantineController } from './system/quarantine.controller';
import { WebhooksController } from './webhooks/webhooks.controller';

export interface ApiModuleOptions {
  /** Extra Nest modules mounted in the same process (the worker, in embedded mode). */
  imports?: (Type | DynamicModule)[];
}

/** HTTP only: controllers turn requests into commands and queries of the engine's buses. */
@Module({})
export class ApiModule {
  static forRoot(infra: Infrastructure, options: ApiModuleOptions = {}): DynamicModule {
    return {
      module: ApiModule,
      imports: [EngineModule.forRoot(infra), ...(options.imports ?? [])],
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
        QuarantineController,
        AuditController,
      ],
      providers: [
        SseStreams,
        ReadinessService,
        CommandHttpService,
        IdempotencyService,
        ImportUploadInterceptor,
        PieceUploadInterceptor,
        BlobSweepService,
        { provide: APP_GUARD, useClass: AuthGuard },
        // After AuthGuard (registration order): counts authenticated principals only.
        { provide: APP_GUARD, useClass: RateLimitGuard },
        { provide: APP_FILTER, useClass: ProblemFilter },
        { provide: APP_INTERCEPTOR, useClass: JsonBodyInterceptor },
      ],
    };
  }
}
