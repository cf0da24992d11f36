import type { RecordedEvent, SqlExecutor } from '@segur/event-store';
import { groupByDossier } from './by-dossier';
import { FoldSession, type DossierFold } from './dossier-fold';

// A fold that keeps the types it saw, in order, per dossier: what a session wrote tells which
// events it folded.
const seen: DossierFold<{ numeroAsp: string; types: string[] }> = {
  load: () => Promise.resolve(new Map()),
  fold: (state, numeroAsp, events) => ({
    numeroAsp,
    types: [...(state?.types ?? []), ...events.map((e) => e.type)],
  }),
  write: () => Promise.resolve(),
};

let n = 0;
const event = (streamId: string, type: string): RecordedEvent => {
  n++;
  return {
    id: `e${n}`,
    type,
    schemaVersion: 1,
    streamId,
    streamVersion: n,
    position: String(n).padStart(4, '0'),
    recordedAt: '2024-01-01T00:00:00.000Z',
    data: {},
    metadata: { actor: { id: 'system', role: 'system' }, correlationId: 'c', causationId: null },
  };
};

const noDatabase = {} as SqlExecutor;

/** What a session holds after `run`, by taking its writes with a recording executor. */
const heldBy = async (
  run: (s: FoldSession<{ numeroAsp: string; types: string[] }, never>) => Promise<void>,
) => {
  const written: { numeroAsp: string; types: string[] }[] = [];
  const session = new FoldSession(
    { ...seen, write: (_tx, rows) => (written.push(...rows), Promise.resolve()) },
    {
      empty: true,
    },
  );
  await run(session);
  await session.takeWrites()(noDatabase);
  return written.sort((a, b) => a.numeroAsp.localeCompare(b.numeroAsp));
};

describe('FoldSession', () => {
  const batch = [
    event('dossier-A', 'AvanceImported'),
    event('dossier-B', 'EmailSent'),
    event('import-1', 'ImportReceived'),
    event('dossier-A', 'EmailSent'),
    event('dossier-B', 'AvanceImported'),
    event('dossier-A', 'SoldeImported'),
  ];
  const types = new Set(['AvanceImported', 'SoldeImported']);

  it('folds a batch grouped once as it folds the same events filtered by type, then grouped', async () => {
    const filtered = await heldBy((s) =>
      s.apply(noDatabase, groupByDossier(batch.filter((e) => types.has(e.type))), null),
    );
    const grouped = await heldBy((s) => s.apply(noDatabase, groupByDossier(batch), types));
    expect(grouped).toEqual(filtered);
    expect(grouped).toEqual([
      { numeroAsp: 'A', types: ['AvanceImported', 'SoldeImported'] },
      { numeroAsp: 'B', types: ['AvanceImported'] },
    ]);
  });

  it('leaves out a dossier none of whose events has one of the types', async () => {
    const held = await heldBy((s) =>
      s.apply(noDatabase, groupByDossier([event('dossier-C', 'EmailSent')]), types),
    );
    expect(held).toEqual([]);
  });

  it('folds every event of the groups without types', async () => {
    const held = await heldBy((s) => s.apply(noDatabase, groupByDossier(batch), null));
    expect(held.map((h) => h.types)).toEqual([
      ['AvanceImported', 'EmailSent', 'SoldeImported'],
      ['EmailSent', 'AvanceImported'],
    ]);
  });
});
