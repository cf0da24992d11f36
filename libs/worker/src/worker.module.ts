import {
  Inject,
  Injectable,
  Module,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { INFRA, type Infrastructure } from '@segur/platform';
import { DeadlineFiringModule } from './deadlines/deadline-firing.module';
import { WorkerRuntime } from './worker.runtime';
import { AuditCheckpointService } from './audit-checkpoints.service';

@Injectable()
export class WorkerLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly runtime: WorkerRuntime;

  constructor(@Inject(INFRA) infra: Infrastructure, bus: CommandBus) {
    this.runtime = new WorkerRuntime(infra, bus);
  }

  onApplicationBootstrap(): Promise<void> {
    return this.runtime.start();
  }

  onApplicationShutdown(): Promise<void> {
    return this.runtime.stop();
  }
}

/** Mounted by `apps/worker` (server mode) and inside the API process in embedded mode (`npm start`). */
@Module({
  imports: [DeadlineFiringModule],
  providers: [WorkerLifecycle, AuditCheckpointService],
  exports: [WorkerLifecycle, AuditCheckpointService],
})
export class WorkerModule {}
