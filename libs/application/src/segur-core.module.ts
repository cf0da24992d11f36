import { Global, Module, type DynamicModule } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { DossierCommandService } from './commands/dossier-command.service';
import { ExecuteDossierCommandHandler } from './commands/execute-dossier-command';
import { JwtVerifier, embeddedJwtSecret } from './auth/jwt-verifier';
import type { Infrastructure } from './infrastructure/infrastructure';
import { APP_CONFIG, EVENT_STORE, INFRA, LOGGER, SQL_CLIENT } from './infrastructure/tokens';

/** What every process (api, worker, cli) shares: the opened infrastructure and the CommandBus. */
@Global()
@Module({})
export class SegurCoreModule {
  static forRoot(infra: Infrastructure): DynamicModule {
    const jwtSecret =
      infra.config.jwt.secret ?? (infra.config.jwt.jwksUrl ? null : embeddedJwtSecret(infra.config.dataDir));
    return {
      module: SegurCoreModule,
      imports: [CqrsModule.forRoot()],
      providers: [
        { provide: INFRA, useValue: infra },
        { provide: SQL_CLIENT, useValue: infra.sql },
        { provide: EVENT_STORE, useValue: infra.store },
        { provide: APP_CONFIG, useValue: infra.config },
        { provide: LOGGER, useValue: infra.logger },
        { provide: DossierCommandService, useValue: infra.commands },
        {
          provide: JwtVerifier,
          useValue: new JwtVerifier({ secret: jwtSecret, jwksUrl: infra.config.jwt.jwksUrl }),
        },
        ExecuteDossierCommandHandler,
      ],
      exports: [
        INFRA,
        SQL_CLIENT,
        EVENT_STORE,
        APP_CONFIG,
        LOGGER,
        DossierCommandService,
        JwtVerifier,
        CqrsModule,
      ],
    };
  }
}
