import { Inject, Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { Response } from 'express';
import { v7 as uuidv7 } from 'uuid';
import { STATUT_LABELS, type DossierCommand, type DossierState } from '@segur/domain';
import {
  DomainRefusalError,
  ExecuteDossierCommand,
  IdempotencyService,
  ProblemError,
  SQL_CLIENT,
  VersionConflictError,
  canSeeSiret,
  correlationIdOf,
  ifMatchOf,
  requestHash,
  statusOfDomainCode,
  type CommandOutcome,
  type Principal,
  type SegurRequest,
  type StoredResponse,
} from '@segur/application';
import type { SqlClient } from '@segur/event-store';

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
const authorizeFor = (principal: Principal, numeroAsp: string) => (state: DossierState) => {
  if (!state.identity || !canSeeSiret(principal, state.identity.siret))
    throw new ProblemError(404, 'INTROUVABLE', `Dossier ${numeroAsp} introuvable`);
};

export const domainProblem = (e: unknown): unknown => {
  if (e instanceof DomainRefusalError) {
    const { code, message, path } = e.error;
    return new ProblemError(
      statusOfDomainCode(code),
      code,
      message,
      path ? [{ path, code, message }] : undefined,
    );
  }
  if (e instanceof VersionConflictError) {
    return e.kind === 'stale_if_match'
      ? new ProblemError(412, 'CONFLIT_VERSION', e.message, undefined, { ETag: `"${e.actualVersion}"` })
      : new ProblemError(409, 'CONFLIT_VERSION', e.message);
  }
  return e;
};

/**
 * The one path every HTTP command takes: correlation id, If-Match, Idempotency-Key, tenancy,
 * CommandBus, problem mapping, ETag / X-Position headers.
 */
@Injectable()
export class CommandHttpService {
  private readonly idempotency: IdempotencyService;

  constructor(
    private readonly bus: CommandBus,
    @Inject(SQL_CLIENT) sql: SqlClient,
  ) {
    this.idempotency = new IdempotencyService(sql);
  }

  async run(
    req: SegurRequest,
    res: Response,
    principal: Principal,
    command: DossierCommand,
    options: { status?: number; body?: (outcome: CommandOutcome) => Record<string, unknown> } = {},
  ): Promise<void> {
    const correlationId = correlationIdOf(req);
    res.setHeader('X-Correlation-Id', correlationId);
    const expectedVersion = ifMatchOf(req);
    const work = async (): Promise<StoredResponse> => {
      const commandId = uuidv7();
      let outcome: CommandOutcome;
      try {
        outcome = await this.bus.execute(
          new ExecuteDossierCommand(command, {
            commandId,
            correlationId,
            causationId: null,
            ...(expectedVersion !== undefined ? { expectedVersion } : {}),
            authorize: authorizeFor(principal, command.data.numeroAsp),
          }),
        );
      } catch (e) {
        throw domainProblem(e);
      }
      const s = outcome.state;
      const body: CommandResponseBody = {
        numeroAsp: outcome.numeroAsp,
        statut: s.statut,
        statutLibelle: s.statut ? STATUT_LABELS[s.statut] : null,
        version: s.openRound ? s.openRound.version : s.currentVersion > 0 ? `M${s.currentVersion}` : null,
        streamVersion: outcome.streamVersion,
        position: outcome.position,
        ...(options.body ? options.body(outcome) : {}),
      };
      const headers: Record<string, string> = { ETag: `"${outcome.streamVersion}"` };
      if (outcome.position) headers['X-Position'] = outcome.position;
      return { status: options.status ?? 200, headers, body };
    };
    const key = req.header('idempotency-key');
    const response = key
      ? await this.idempotency.run(principal, key, requestHash(req.method, req.path, req.body), work)
      : await work();
    if (response.headers['x-problem']) {
      const p = response.body as { status: number; code: string; detail: string; errors?: [] };
      throw new ProblemError(p.status, p.code, p.detail, p.errors);
    }
    for (const [k, v] of Object.entries(response.headers)) res.setHeader(k, v);
    if ('replayed' in response && response.replayed) res.setHeader('Idempotent-Replayed', 'true');
    res.status(response.status).json(response.body);
  }
}
