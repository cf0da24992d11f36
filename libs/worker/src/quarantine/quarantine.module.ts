import { Module } from '@nestjs/common';
import { ListQuarantineHandler } from './list-quarantine.handler';
import { RetryQuarantinedHandler } from './retry-quarantined.handler';

/** Operators' way to the quarantine, on the buses (API admin routes and `cli quarantine`). */
@Module({ providers: [ListQuarantineHandler, RetryQuarantinedHandler] })
export class QuarantineModule {}
