import { Query } from '@nestjs/cqrs';
import type { Principal } from '@segur/auth';

/**
 * A read of the back office or of a fournisseur: who reads (roles and tenancy apply), and the
 * position of the caller's last write, which the read models must have applied first
 * (`X-Min-Position`; undefined: read what is there).
 */
export abstract class ReadQuery<T> extends Query<T> {
  constructor(
    readonly principal: Principal,
    readonly minPosition?: string,
  ) {
    super();
  }
}
