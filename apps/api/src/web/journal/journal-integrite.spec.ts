import type { QueryBus } from '@nestjs/cqrs';
import type { ChainBreak, RecordedEvent } from '@segur/event-store';
import { Refusal } from '@segur/kernel';
import { VerifyDossierAuditQuery, type DossierAuditReport } from '@segur/queries';
import { integriteOfError, integriteOfReport, verifyIntegrite } from './journal-integrite';

const N = 'FINSAS000123';
const event = (streamVersion: number, type: string): RecordedEvent => ({
  id: `0190a000-0000-7000-8000-00000000000${streamVersion}`,
  type,
  schemaVersion: 1,
  streamId: `dossier-${N}`,
  streamVersion,
  position: `0000000000000000000${streamVersion}-00000000000000000000`,
  recordedAt: '2026-12-06T10:00:00.000Z',
  data: {},
  metadata: { actor: { id: 'agent', role: 'gestionnaire' }, correlationId: 'c', causationId: null },
});
const events = [event(1, 'AvanceImported'), event(2, 'AvancePaid'), event(3, 'SoldeImported')];

const report = (
  brk: ChainBreak | null,
  checkpoint: DossierAuditReport['checkpoint'] = null,
): DossierAuditReport => ({
  numeroAsp: N,
  intact: brk === null,
  streams: 1,
  events: 3,
  position: events[2]?.position ?? null,
  checkpoint,
  break: brk,
  message: brk ? `Chaîne rompue : ${brk.message}` : 'Chaîne intègre jusqu’à …',
});

const breakAt = (
  kind: ChainBreak['kind'],
  e: RecordedEvent | null,
  extra: Partial<ChainBreak> = {},
): ChainBreak => ({
  kind,
  streamId: e?.streamId ?? null,
  eventId: e?.id ?? null,
  streamVersion: e?.streamVersion ?? null,
  position: e?.position ?? null,
  expected: null,
  found: null,
  message: `message du vérificateur (${kind})`,
  ...extra,
});

describe('journal integrity view model', () => {
  it('intact: how many events, up to which version and position, which checkpoint', () => {
    const checkpoint = { id: 7, position: 'p7', root: 'r', createdAt: '2026-12-06T11:00:00.000Z' };
    expect(integriteOfReport(report(null, checkpoint), events)).toEqual({
      state: 'integre',
      events: 3,
      streamVersion: 3,
      position: events[2]?.position,
      checkpoint: { id: 7, position: 'p7', createdAt: '2026-12-06T11:00:00.000Z' },
    });
    expect(integriteOfReport(report(null), events)).toMatchObject({ state: 'integre', checkpoint: null });
  });

  it('broken: names the very event of the break, its type read from the timeline, and what differs', () => {
    const target = events[1] as RecordedEvent;
    const out = integriteOfReport(report(breakAt('hash', target, { expected: 'aa', found: 'bb' })), events);
    expect(out).toEqual({
      state: 'rompue',
      kind: 'hash',
      event: { id: target.id, streamVersion: 2, type: 'AvancePaid', position: target.position },
      difference: expect.stringContaining('contenu de cet événement a été modifié'),
      expected: 'aa',
      found: 'bb',
      detail: 'Chaîne rompue : message du vérificateur (hash)',
    });
  });

  it.each([
    ['prevHash', /lien de cet événement vers le précédent/],
    ['version-manquante', /supprimé/],
    ['reordonnancement', /ordre/],
    ['point-de-controle', /réécrite/],
  ] as const)('broken (%s): says in French what differs', (kind, said) => {
    const out = integriteOfReport(report(breakAt(kind, events[2] as RecordedEvent)), events);
    expect(out).toMatchObject({ state: 'rompue', kind, event: { streamVersion: 3, type: 'SoldeImported' } });
    expect(out.state === 'rompue' && out.difference).toMatch(said);
  });

  it('broken in a checkpoint (signature, root, truncated stream): no event named', () => {
    for (const kind of ['signature', 'racine', 'tronque'] as const)
      expect(integriteOfReport(report(breakAt(kind, null)), events)).toMatchObject({
        state: 'rompue',
        kind,
        event: null,
      });
  });

  it('an event the timeline does not hold: its id and version still named, type unknown', () => {
    const gone = { ...event(9, 'X'), id: 'absent' };
    expect(integriteOfReport(report(breakAt('hash', gone)), events)).toMatchObject({
      event: { id: 'absent', streamVersion: 9, type: null },
    });
  });

  it('not chained yet: its own state, from the first unchained event', () => {
    const first = events[0] as RecordedEvent;
    expect(integriteOfReport(report(breakAt('non-chaine', first)), events)).toEqual({
      state: 'non-chainee',
      event: { id: first.id, streamVersion: 1, type: 'AvanceImported', position: first.position },
      detail: 'message du vérificateur (non-chaine)',
    });
  });

  it('not chained on a store that cannot chain them (EventStoreDB): carries the store’s reason', () => {
    const first = events[0] as RecordedEvent;
    const esdb = { ...report(breakAt('non-chaine', first)), cannotChain: 'événements immuables' };
    expect(integriteOfReport(esdb, events)).toMatchObject({
      state: 'non-chainee',
      cannotChain: 'événements immuables',
    });
  });

  it('unavailable only for the query’s own refusal code; any other error is not the badge’s', () => {
    expect(
      integriteOfError(new Refusal('unavailable', 'AUDIT_INDISPONIBLE', 'pas offerte par le magasin esdb')),
    ).toEqual({ state: 'non-disponible', detail: 'pas offerte par le magasin esdb' });
    expect(integriteOfError(new Refusal('not-found', 'INTROUVABLE', 'x'))).toBeNull();
    expect(integriteOfError(new Error('AUDIT_INDISPONIBLE'))).toBeNull();
  });

  it('reads through the QueryBus, maps the refusal, lets any other failure through', async () => {
    const execute = jest.fn();
    const bus = { execute } as unknown as QueryBus;
    execute.mockResolvedValueOnce(report(null));
    expect(await verifyIntegrite(bus, N, events)).toMatchObject({ state: 'integre' });
    expect(execute).toHaveBeenCalledWith(new VerifyDossierAuditQuery(N));
    execute.mockRejectedValueOnce(new Refusal('unavailable', 'AUDIT_INDISPONIBLE', 'non'));
    expect(await verifyIntegrite(bus, N, events)).toMatchObject({ state: 'non-disponible' });
    const boom = new Error('base injoignable');
    execute.mockRejectedValueOnce(boom);
    await expect(verifyIntegrite(bus, N, events)).rejects.toBe(boom);
  });
});
