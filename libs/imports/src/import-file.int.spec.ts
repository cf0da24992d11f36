import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dossierStreamId, formatNumeroAsp, type DossierCommand, type DossierEvent } from '@segur/domain';
import {
  createTestSqlClient,
  type AppendManyItem,
  type EventStore,
  type TestSqlClient,
} from '@segur/event-store';
import { upsertFournisseur } from '@segur/projections';
import type { Principal } from '@segur/auth';
import { CommandPipeline, newCommandContext, toNewEvents } from '@segur/commands';
import { openEngine } from '@segur/engine';
import { FsBlobStore, loadConfig, type Infrastructure } from '@segur/platform';
import { ImportFile } from './import-file';
import { pieceSourceOf } from './import-pieces';

const FOURNISSEUR = { siret: '80125271900415', numeroAns: 'zbuPHA0005' };
const FINESS = '620006494';
const PDF = Buffer.from('%PDF-1.4\n% test\n1 0 obj <<>> endobj\n%%EOF\n');
const PIECES = [
  { type: 'VA', nomFichier: 'VA.pdf' },
  { type: 'FACTURE', nomFichier: 'FACTURE.pdf' },
];
const PRINCIPAL: Principal = {
  sub: 'test',
  role: 'fournisseur',
  sirets: [FOURNISSEUR.siret],
  numeroAns: FOURNISSEUR.numeroAns,
};

const soldeLine = (numLigne: number, sequence: number, montant = 1000) => ({
  numLigne,
  typeAction: 'C',
  numeroASP: formatNumeroAsp('PHA', sequence),
  numeroEditeur: '00001',
  facture: { dateFacture: '15/05/2022', montantSegurHTFacture: montant },
  beneficiaire: FINESS,
  piecesJustificatives: PIECES,
});

const fileOf = (lines: unknown[]): { bytes: Uint8Array } => ({
  bytes: Buffer.from(JSON.stringify({ impId: null, ...FOURNISSEUR, lignesImport: lines }), 'utf8'),
});

// Several chunks in flight at once must not change what a file does: lines quoting one dossier
// still apply in file order, whichever chunks they fall in.
describe('ImportFile (chunks appended concurrently)', () => {
  let db: TestSqlClient;
  let infra: Infrastructure;
  let dataDir: string;

  /** Dossiers PHA `first`… with a paid avance, appended directly. */
  const paidAvances = async (first: number, count: number): Promise<void> => {
    const at = new Date().toISOString();
    const items: AppendManyItem[] = [];
    for (let i = 0; i < count; i++) {
      const numeroAsp = formatNumeroAsp('PHA', first + i);
      const commands: DossierCommand[] = [
        {
          type: 'ImportAvance',
          data: {
            numeroAsp,
            couloir: 'PHA',
            ...FOURNISSEUR,
            importId: 'seed',
            numLigne: i + 1,
            numeroEditeur: '00001',
            bonDeCommande: { dateBonDeCommande: '2023-01-10', montantCents: 100_000 },
            beneficiaire: FINESS,
            contactSupport: null,
            pieces: [],
            contentHash: `seed-${first + i}`,
          },
          actor: { id: 'seed', role: 'fournisseur' },
          at,
        },
        {
          type: 'RecordAvancePayment',
          data: { numeroAsp, datePaiement: null, montantCents: null },
          actor: { id: 'seed', role: 'gestionnaire' },
          at,
        },
      ];
      let state = infra.decider.initialState();
      const events = [];
      for (const command of commands) {
        const decision = infra.decider.decide(command, state);
        if (!decision.ok) throw new Error(decision.error.message);
        events.push(...toNewEvents(decision.value, command, newCommandContext()));
        for (const e of decision.value) state = infra.decider.evolve(state, e);
      }
      items.push({ streamId: dossierStreamId(numeroAsp), events, expectedVersion: 'no_stream' });
    }
    await infra.store.appendMany(items);
  };

  /**
   * The store, except that each import's first appendMany answers late: were a later chunk not made
   * to wait for the chunk holding the same dossier, its append would go in first.
   */
  const slowFirstAppend = (): EventStore => {
    let calls = 0;
    return Object.assign(Object.create(infra.store) as EventStore, {
      appendMany: async (items: AppendManyItem[]) => {
        if (calls++ === 0) await new Promise((resolve) => setTimeout(resolve, 300));
        return infra.store.appendMany(items);
      },
    });
  };

  const service = (chunkSize: number): ImportFile =>
    new ImportFile(
      {
        config: infra.config,
        sql: infra.sql,
        pipeline: new CommandPipeline({ ...infra, store: slowFirstAppend() }),
        blobs: new FsBlobStore(join(dataDir, 'blobs')),
        clock: infra.clock,
      },
      { chunkSize, maxAttempts: 4 },
    );

  const importSolde = (chunkSize: number, lines: unknown[]) =>
    service(chunkSize).run({
      kind: 'solde',
      file: fileOf(lines),
      pieces: pieceSourceOf(new Map(PIECES.map((p) => [p.nomFichier, PDF]))),
      principal: PRINCIPAL,
      correlationId: 'test',
    });

  const soldeEvents = async (sequence: number): Promise<DossierEvent[]> =>
    (await infra.store.readStream(dossierStreamId(formatNumeroAsp('PHA', sequence))))
      .filter((e) => e.type === 'SoldeImported')
      .map((e) => ({ type: e.type, data: e.data }) as DossierEvent);

  beforeAll(async () => {
    db = await createTestSqlClient('imp');
    dataDir = mkdtempSync(join(tmpdir(), 'segur-import-service-'));
    infra = await openEngine(
      loadConfig({
        DATA_DIR: dataDir,
        JWT_SECRET: 'test-secret-0123456789abcdef0123456789',
        LOG_LEVEL: 'silent',
      }),
      { sql: db.client },
    );
    await upsertFournisseur(db.client, {
      ...FOURNISSEUR,
      denominationSociale: 'PHARMACIE TEST',
      adresse: { ligne: '1 place de la Mairie', codePostal: '62000', commune: 'ARRAS' },
      email: 'test@example.org',
      iban: 'FR7630006000011234567890189',
      bic: 'BNPAFRPPXXX',
    });
    await paidAvances(1, 40);
  });

  afterAll(async () => {
    await infra.close();
    await db.teardown();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('applies a dossier quoted in several chunks in file order, the later lines refused or unchanged', async () => {
    // Chunks of 2: dossier 1 in chunks 1, 2 and 4 (adjacent and not), dossier 2 in chunks 1 and 3.
    const lines = [
      soldeLine(1, 1),
      soldeLine(2, 2),
      soldeLine(3, 1, 2000),
      soldeLine(4, 3),
      soldeLine(5, 2),
      soldeLine(6, 4),
      soldeLine(7, 1, 1000),
      soldeLine(8, 5),
    ];
    const report = await importSolde(2, lines);
    expect(report.lines.map((l) => [l.numLigne, l.result, l.errors.map((e) => e.code)])).toEqual([
      [1, 'applied', []],
      [2, 'applied', []],
      [3, 'rejected', ['SOLDE_DEJA_DEPOSE']],
      [4, 'applied', []],
      // Same content as line 2 (numLigne aside): the same solde, nothing to do.
      [5, 'unchanged', []],
      [6, 'applied', []],
      [7, 'unchanged', []],
      [8, 'applied', []],
    ]);
    // The first line of dossier 1 is the one recorded, once.
    const first = await soldeEvents(1);
    expect(first).toHaveLength(1);
    expect(first[0]?.data).toMatchObject({ numLigne: 1, facture: { montantCents: 100_000 } });
    expect(await soldeEvents(2)).toHaveLength(1);
  });

  it('gives the same report whatever the chunk size', async () => {
    const lines = (from: number) =>
      Array.from({ length: 12 }, (_, i) => soldeLine(i + 1, from + (i % 8), 1000 + (i >= 8 ? 1 : 0)));
    const outcome = (r: Awaited<ReturnType<typeof importSolde>>) =>
      r.lines.map((l) => [l.numLigne, l.result, l.errors.map((e) => e.code)]);
    const oneChunk = outcome(await importSolde(1000, lines(10)));
    const chunked = outcome(await importSolde(3, lines(20)));
    expect(chunked).toEqual(oneChunk);
    expect(oneChunk.filter(([, result]) => result === 'applied')).toHaveLength(8);
    // Sent again, the accepted lines are unchanged and the refused ones refused again.
    const again = outcome(await importSolde(3, lines(20)));
    expect(again.filter(([, result]) => result === 'unchanged')).toHaveLength(8);
    expect(again.slice(8)).toEqual(chunked.slice(8));
  });
});
