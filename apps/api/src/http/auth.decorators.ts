import { SetMetadata, createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { ApiRole, Principal } from '@segur/auth';
import { principalOf, type SegurRequest } from './request-context';

export const PUBLIC_KEY = 'segur:public';
export const ROLES_KEY = 'segur:roles';

/** No token needed (health, docs, schemas). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_KEY, true);
/** Roles allowed on a route (docs/api.md); any other authenticated role gets 403. */
export const Roles = (...roles: ApiRole[]): MethodDecorator & ClassDecorator => SetMetadata(ROLES_KEY, roles);

export const CurrentPrincipal = createParamDecorator((_: unknown, ctx: ExecutionContext): Principal =>
  principalOf(ctx.switchToHttp().getRequest<SegurRequest>()),
);
