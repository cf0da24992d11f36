import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { InvalidTokenError, JwtVerifier, type ApiRole, type Principal } from '@segur/auth';
import { PUBLIC_KEY, ROLES_KEY } from './auth.decorators';
import { ProblemError } from './problem';

/** Global guard: 401 without a valid bearer token, 403 when the role is not allowed here. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly verifier: JwtVerifier,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const req = ctx.switchToHttp().getRequest<Request & { principal?: Principal }>();
    const header = req.headers.authorization;
    const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    if (!match?.[1])
      throw new ProblemError(
        401,
        'NON_AUTHENTIFIE',
        'Jeton d’authentification manquant (Authorization: Bearer …)',
        undefined,
        {
          'WWW-Authenticate': 'Bearer',
        },
      );
    try {
      req.principal = await this.verifier.verify(match[1]);
    } catch (e) {
      const why = e instanceof InvalidTokenError ? e.message : 'jeton illisible';
      throw new ProblemError(
        401,
        'NON_AUTHENTIFIE',
        `Jeton d’authentification invalide : ${why}`,
        undefined,
        {
          'WWW-Authenticate': 'Bearer error="invalid_token"',
        },
      );
    }
    const roles = this.reflector.getAllAndOverride<ApiRole[] | undefined>(ROLES_KEY, targets);
    if (roles && !roles.includes(req.principal.role))
      throw new ProblemError(
        403,
        'ACCES_REFUSE',
        `Le rôle ${req.principal.role} n’est pas autorisé pour cette action`,
      );
    return true;
  }
}
