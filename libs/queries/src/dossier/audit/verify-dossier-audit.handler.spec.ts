import type { EventStore } from '@segur/event-store';
import { Refusal } from '@segur/kernel';
import type { Infrastructure } from '@segur/platform';
import { VerifyDossierAuditHandler } from './verify-dossier-audit.handler';
import { AUDIT_UNAVAILABLE, VerifyDossierAuditQuery } from './verify-dossier-audit.query';

describe('VerifyDossierAuditHandler on a store without audit log (EventStoreDB today)', () => {
  it('refuses with the exported code the journal page recognises, naming the store', async () => {
    const store = { name: 'eventstoredb' } as unknown as EventStore;
    const handler = new VerifyDossierAuditHandler(store, {} as Infrastructure);
    const refusal = await handler
      .execute(new VerifyDossierAuditQuery('FINSAS000123'))
      .catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(Refusal);
    expect(refusal).toMatchObject({
      kind: 'unavailable',
      code: AUDIT_UNAVAILABLE,
      message: 'La vérification de la chaîne n’est pas offerte par le magasin eventstoredb',
    });
    expect(AUDIT_UNAVAILABLE).toBe('AUDIT_INDISPONIBLE');
  });
});
