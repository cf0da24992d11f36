import { Injectable } from '@nestjs/common';
import { CommandBus, type Command } from '@nestjs/cqrs';
import type { Response } from 'express';
import { canSeeSiret, type Principal } from '@segur/auth';
import { fastUuidV7, type CommandOutcome, type Issuer } from '@segur/commands';
import { STATUT_LABELS, currentVersionLabel, type DossierState } from '@segur/domain';
import { IdempotencyService, requestHash, type StoredResponse } from '../http/idempotency.service';
import { problemOf } from '../http/problem-of';
import { correlationIdOf, ifMatchOf, principalOf, type SegurRequest } from '../http/request-context';

export interface CommandResponseBody {
  numeroAsp: string;
  statut: string | null;
  statutLibelle: string | null;
  version: string | null;
  streamVersion: number;
  position: string | null;
  [extra: string]: unknown;
}

/** Tenancy inside the decision: a fournisseur acting on another SIRET's dossier gets 404. */
const visibleTo =
  (principal: Principal) =>
  (state: DossierState): boolean =>
    state.identity !== null && canSeeSiret(principal, state.identity.siret);

/**
 * Who issues a command for a signed-in person: the JSON routes and the web pages' forms build it
 * here, so tenancy and the expected version reach the pipeline the same way from both.
 */
export const issuerOf = (
  principal: Principal,
  correlationId: string,
  expectedVersion: number | undefined,
): Issuer => ({
  actor: { id: principal.sub, role: principal.role },
  context: {
    commandId: fastUuidV7(),
    correlationId,
    causationId: null,
    ...(expectedVersion !== undefined ? { expectedVersion } : {}),
    canSee: visibleTo(principal),
  },
});

/** A one-dossier command of the bus, built with who issues it. */
export type IssuedCommand = (issuer: Issuer) => Command<CommandOutcome>;

/**
 * The one path every HTTP command on a dossier takes: correlation id, If-Match, Idempotency-Key,
 * tenancy, the CommandBus, problem mapping, ETag / X-Position headers.
 */
@Injectable()
export class CommandHttpService {
  constructor(
    private readonly bus: CommandBus,
    private readonly idempotency: IdempotencyService,
  ) {}

  /** `res` is the route's own (`@Res()`): its request carries the principal the guard verified. */
  async run(
    res: Response,
    command: IssuedCommand,
    options: {
      status?: number;
      body?: (outcome: CommandOutcome) => Record<string, unknown>;
      /**
       * What the Idempotency-Key compares, when the JSON body is not the whole request (an upload:
       * its file's digest and name). Default: the body.
       */
      fingerprint?: unknown;
    } = {},
  ): Promise<void> {
    const req = res.req as SegurRequest;
    const principal = principalOf(req);
    const correlationId = correlationIdOf(req);
    res.setHeader('X-Correlation-Id', correlationId);
    const expectedVersion = ifMatchOf(req);
    const work = async (): Promise<StoredResponse> => {
      const issuer = issuerOf(principal, correlationId, expectedVersion);
      let outcome: CommandOutcome;
      try {
        outcome = await this.bus.execute(command(issuer));
      } catch (e) {
        throw problemOf(e);
      }
      const s = outcome.state;
      const body: CommandResponseBody = {
        numeroAsp: outcome.numeroAsp,
        statut: s.statut,
        statutLibelle: s.statut ? STATUT_LABELS[s.statut] : null,
        version: currentVersionLabel(s),
        streamVersion: outcome.streamVersion,
        position: outcome.position,
        ...(options.body ? options.body(outcome) : {}),
      };
      const headers: Record<string, string> = { ETag: `"${outcome.streamVersion}"` };
      if (outcome.position) headers['X-Position'] = outcome.position;
      return { status: options.status ?? 200, headers, body };
    };
    await this.idempotency.send(
      res,
      principal,
      req.header('idempotency-key'),
      () => requestHash(req.method, req.path, 'fingerprint' in options ? options.fingerprint : req.body),
      work,
    );
  }
}
