import { Module, type DynamicModule } from '@nestjs/common';
import { EngineModule } from '@segur/engine';
import { WorkerModule } from '@segur/worker';
import { type Infrastructure } from '@segur/platform';

@Module({})
export class WorkerAppModule {
  static forRoot(infra: Infrastructure): DynamicModule {
    return { module: WorkerAppModule, imports: [EngineModule.forRoot(infra), WorkerModule] };
  }
}
