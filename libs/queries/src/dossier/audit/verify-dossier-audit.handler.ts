import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { dossierStreamId } from '@segur/domain';
import {
  AuditVerifier,
  UnknownCheckpointError,
  isAuditable,
  publicKeyPemOf,
  type EventStore,
} from '@segur/event-store';
import { Refusal } from '@segur/kernel';
import { EVENT_STORE, INFRA, auditSigningKeyOf, type Infrastructure } from '@segur/platform';
import { dossierNotFound } from '../../not-found';
import {
  AUDIT_UNAVAILABLE,
  VerifyDossierAuditQuery,
  type DossierAuditReport,
} from './verify-dossier-audit.query';

/** Read from the stored chain itself, never from a read model: an audit trusts none. */
@QueryHandler(VerifyDossierAuditQuery)
export class VerifyDossierAuditHandler implements IQueryHandler<VerifyDossierAuditQuery, DossierAuditReport> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(INFRA) private readonly infra: Infrastructure,
  ) {}

  async execute({ numeroAsp, fromCheckpoint }: VerifyDossierAuditQuery): Promise<DossierAuditReport> {
    if (!isAuditable(this.store))
      throw new Refusal(
        'unavailable',
        AUDIT_UNAVAILABLE,
        `La vérification de la chaîne n’est pas offerte par le magasin ${this.store.name}`,
      );
    const key = auditSigningKeyOf(this.infra.config);
    try {
      const auditLog = this.store.auditLog();
      const report = await new AuditVerifier(auditLog).verifyStream(dossierStreamId(numeroAsp), {
        ...(fromCheckpoint === undefined ? {} : { fromCheckpoint }),
        // A checkpoint signed by any other key (an attacker's re-signing) is refused.
        ...(key ? { trustedKeys: [publicKeyPemOf(key)] } : {}),
      });
      if (!report) throw dossierNotFound(numeroAsp);
      return {
        numeroAsp,
        ...report,
        ...(auditLog.cannotChain === undefined ? {} : { cannotChain: auditLog.cannotChain }),
      };
    } catch (error) {
      if (error instanceof UnknownCheckpointError)
        throw new Refusal('not-found', 'POINT_DE_CONTROLE_INCONNU', error.message);
      throw error;
    }
  }
}
