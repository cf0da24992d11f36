import { Module, type DynamicModule } from '@nestjs/common';
import { SegurCoreModule, WorkerModule, type Infrastructure } from '@segur/application';

@Module({})
export class WorkerAppModule {
  static forRoot(infra: Infrastructure): DynamicModule {
    return { module: WorkerAppModule, imports: [SegurCoreModule.forRoot(infra), WorkerModule] };
  }
}
