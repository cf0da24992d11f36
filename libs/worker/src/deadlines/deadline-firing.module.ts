import { Module } from '@nestjs/common';
import { CommandsModule } from '@segur/commands';
import { FireDueDeadlinesHandler } from './fire-due-deadlines.handler';

/** The timers' commands on the bus: a due batch at once (the one-deadline commands are the engine's). */
@Module({ imports: [CommandsModule], providers: [FireDueDeadlinesHandler] })
export class DeadlineFiringModule {}
