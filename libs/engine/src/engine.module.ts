import { Global, Module, type DynamicModule } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { JwtVerifier, embeddedJwtSecret } from '@segur/auth';
import { CommandsModule } from '@segur/commands';
import { ImportsModule } from '@segur/imports';
import {
  APP_CONFIG,
  BLOB_STORE,
  CLOCK,
  EVENT_STORE,
  INFRA,
  LOGGER,
  SQL_CLIENT,
  type Infrastructure,
} from '@segur/platform';
import { QueriesModule } from '@segur/queries';
import { WebhooksModule } from '@segur/webhooks';
import { QuarantineModule } from '@segur/worker';

/**
 * The engine as every process mounts it (api, worker, cli): the opened infrastructure under its
 * tokens, the CommandBus and QueryBus with every use case's handler.
 */
@Global()
@Module({})
export class EngineModule {
  static forRoot(infra: Infrastructure): DynamicModule {
    const jwtSecret =
      infra.config.jwt.secret ?? (infra.config.jwt.jwksUrl ? null : embeddedJwtSecret(infra.config.dataDir));
    return {
      module: EngineModule,
      imports: [
        CqrsModule.forRoot(),
        CommandsModule,
        QueriesModule,
        ImportsModule,
        WebhooksModule,
        QuarantineModule,
      ],
      providers: [
        { provide: INFRA, useValue: infra },
        { provide: SQL_CLIENT, useValue: infra.sql },
        { provide: EVENT_STORE, useValue: infra.store },
        { provide: APP_CONFIG, useValue: infra.config },
        { provide: LOGGER, useValue: infra.logger },
        { provide: CLOCK, useValue: infra.clock },
        { provide: BLOB_STORE, useValue: infra.blobs },
        {
          provide: JwtVerifier,
          useValue: new JwtVerifier({ ...infra.config.jwt, secret: jwtSecret }),
        },
      ],
      exports: [
        INFRA,
        SQL_CLIENT,
        EVENT_STORE,
        APP_CONFIG,
        LOGGER,
        CLOCK,
        BLOB_STORE,
        JwtVerifier,
        CqrsModule,
      ],
    };
  }
}
