import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { DEFAULT_IMPORT_TUNING } from '@segur/imports';
import { JwtVerifier } from '@segur/auth';
import { loadConfig, type Infrastructure } from '@segur/platform';
import { newCommandContext, toNewEvents } from '@segur/commands';
import { openEngine } from '@segur/engine';
import { dossierStreamId, formatNumeroAsp, type DossierCommand } from '@segur/domain';
import type { AppendManyItem } from '@segur/event-store';
import { upsertFournisseur } from '@segur/projections';
import { startChildApi, type ChildApi } from '../lib/child-api';
import { round } from '../lib/measure';
import type { Scenario } from '../lib/scenario';

const LINES = 10_000;
// One 1,000-line file on other dossiers first, unmeasured: the server then runs the import's code
// optimised and its heap sized for it, as a server that has taken files before does. Back to back,
// the 200-line warm-up it replaces left the measured file 5–10 % slower; 2,000 lines gained no more
// and raised the peak RSS further (+20 MB, 297 MB once).
const WARMUP_LINES = 1000;
const SECRET = 'bench-import-solde-secret-0123456789abcdef';
const FOURNISSEUR = { siret: '80125271900415', numeroAns: 'zbuPHA0005' };
const FINESS = '620006494';
const PDF = Buffer.from('%PDF-1.4\n% bench\n1 0 obj <<>> endobj\n%%EOF\n');
// Every line declares the same two files: one multipart request carries them once. Per-line
// files would measure multipart parsing of 20 000 parts rather than the import.
const PIECES = [
  { type: 'VA', nomFichier: 'PHA-LGO-Va1-VA.pdf' },
  { type: 'FACTURE', nomFichier: 'FACTURE.pdf' },
];

/** Dossiers with a paid avance, appended directly: the preparation is not what is measured. */
const preparePaidAvances = async (infra: Infrastructure, first: number, count: number): Promise<void> => {
  const at = new Date().toISOString();
  const actor = { id: 'bench', role: 'gestionnaire' as const };
  for (let start = 0; start < count; start += 1000) {
    const items: AppendManyItem[] = [];
    for (let i = start; i < Math.min(count, start + 1000); i++) {
      const numeroAsp = formatNumeroAsp('PHA', first + i);
      let state = infra.decider.initialState();
      const events = [];
      const commands: DossierCommand[] = [
        {
          type: 'ImportAvance',
          data: {
            numeroAsp,
            couloir: 'PHA',
            numeroAns: FOURNISSEUR.numeroAns,
            siret: FOURNISSEUR.siret,
            importId: 'bench',
            numLigne: i + 1,
            numeroEditeur: '00001',
            bonDeCommande: { dateBonDeCommande: '2023-01-10', montantCents: 100_000 },
            beneficiaire: FINESS,
            contactSupport: null,
            pieces: [],
            contentHash: `bench-${i}`,
          },
          actor: { id: 'bench', role: 'fournisseur' },
          at,
        },
        {
          type: 'RecordAvancePayment',
          data: { numeroAsp, datePaiement: null, montantCents: null },
          actor,
          at,
        },
      ];
      for (const command of commands) {
        const decision = infra.decider.decide(command, state);
        if (!decision.ok) throw new Error(`préparation : ${decision.error.message}`);
        events.push(...toNewEvents(decision.value, command, newCommandContext()));
        for (const e of decision.value) state = infra.decider.evolve(state, e);
      }
      items.push({ streamId: dossierStreamId(numeroAsp), events, expectedVersion: 'no_stream' });
    }
    await infra.store.appendMany(items);
  }
};

const soldeFile = (first: number, count: number): string =>
  JSON.stringify({
    impId: null,
    numeroAns: FOURNISSEUR.numeroAns,
    siret: FOURNISSEUR.siret,
    lignesImport: Array.from({ length: count }, (_, i) => ({
      numLigne: i + 1,
      typeAction: 'C',
      numeroASP: formatNumeroAsp('PHA', first + i),
      numeroEditeur: '00001',
      facture: { dateFacture: '15/05/2022', montantSegurHTFacture: 1000.0 },
      beneficiaire: FINESS,
      piecesJustificatives: PIECES,
    })),
  });

interface Report {
  status: string;
  lines: Array<{ result: string }>;
}

const postSolde = async (
  baseUrl: string,
  token: string,
  file: string,
): Promise<{ ms: number; report: Report }> => {
  const form = new FormData();
  form.append('file', new Blob([file], { type: 'application/json' }), 'solde.json');
  for (const p of PIECES)
    form.append(p.nomFichier, new Blob([PDF], { type: 'application/pdf' }), p.nomFichier);
  const start = performance.now();
  const res = await fetch(`${baseUrl}/api/v1/imports/solde`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}` },
    body: form,
  });
  const report = (await res.json()) as Report;
  const ms = performance.now() - start;
  if (res.status !== 201)
    throw new Error(`import-solde : HTTP ${res.status} ${JSON.stringify(report).slice(0, 300)}`);
  return { ms, report };
};

/** CPU time (user + system) a process used so far, in ms (Linux; clock ticks of 10 ms). */
const cpuMsOf = (pid: number): number => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) * 10;
};

const countOf = (report: Report, result: string): number =>
  report.lines.filter((l) => l.result === result).length;

/**
 * `chain` false: the API appends without the audit hash chain (BENCH_AUDIT_CHAIN=off, a bench-only
 * switch): run `--only import-solde --only import-solde-chain-off` to measure the chain's cost.
 */
const importSoldeScenario = (chain: boolean): Scenario => ({
  name: chain ? 'import-solde' : 'import-solde-chain-off',
  description: `POST /imports/solde of a ${LINES}-line file (multipart, VA + FACTURE) on dossiers with paid avances, over HTTP on PostgreSQL, after an unmeasured ${WARMUP_LINES}-line warm-up file${chain ? '' : ', audit hash chain off (bench only)'}`,
  async run(ctx) {
    await ctx.resetSchema();
    const sql = await ctx.connect(20);
    const dataDir = mkdtempSync(join(tmpdir(), 'segur-bench-import-'));
    const infra = await openEngine(
      loadConfig({
        DATA_DIR: dataDir,
        DATABASE_URL: ctx.databaseUrl,
        JWT_SECRET: SECRET,
        WEBHOOK_SECRET_KEY: '1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f',
        LOG_LEVEL: 'silent',
      }),
      { sql },
    );
    let api: ChildApi | null = null;
    try {
      await upsertFournisseur(sql, {
        ...FOURNISSEUR,
        denominationSociale: 'PHARMACIE BENCH',
        adresse: { ligne: '1 place de la Mairie', codePostal: '62000', commune: 'ARRAS' },
        email: 'bench@example.org',
        iban: 'FR7630006000011234567890189',
        bic: 'BNPAFRPPXXX',
      });
      const token = new JwtVerifier({ secret: SECRET, jwksUrl: null }).sign({
        sub: `bench-${uuidv7()}`,
        role: 'fournisseur',
        siret: FOURNISSEUR.siret,
      });
      const prepStart = performance.now();
      await preparePaidAvances(infra, 1, WARMUP_LINES + LINES);
      ctx.log(
        `prepared ${WARMUP_LINES + LINES} paid avances in ${Math.round(performance.now() - prepStart)} ms`,
      );
      // The API in its own process: the peak RSS reported is the server's, not this harness's.
      api = await startChildApi(ctx, {
        JWT_SECRET: SECRET,
        DATA_DIR: dataDir,
        ...(chain ? {} : { BENCH_AUDIT_CHAIN: 'off' }),
      });
      const baseUrl = api.baseUrl;
      const startRssMb = api.rssMb();

      const warmup = await postSolde(baseUrl, token, soldeFile(1, WARMUP_LINES));
      ctx.log(`warm-up (unmeasured): ${WARMUP_LINES} lines on other dossiers in ${Math.round(warmup.ms)} ms`);
      const file = soldeFile(WARMUP_LINES + 1, LINES);
      const cpuBefore = cpuMsOf(api.pid);
      const { ms, report } = await postSolde(baseUrl, token, file);
      const importCpuMs = cpuMsOf(api.pid) - cpuBefore;
      const applied = countOf(report, 'applied');
      if (applied !== LINES)
        throw new Error(`import-solde : ${applied}/${LINES} lignes appliquées (${report.status})`);
      ctx.log(
        `import: ${Math.round(ms)} ms for ${LINES} lines (${Math.round(file.length / 1024)} KiB), API process CPU ${importCpuMs} ms`,
      );
      const peakAfterImportMb = api.peakRssMb();

      const cpuBeforeAgain = cpuMsOf(api.pid);
      const again = await postSolde(baseUrl, token, file);
      const againCpuMs = cpuMsOf(api.pid) - cpuBeforeAgain;
      if (again.report.status !== 'duplicate') throw new Error(`re-import : statut ${again.report.status}`);
      ctx.log(`re-import (duplicate): ${Math.round(again.ms)} ms, API process CPU ${againCpuMs} ms`);
      const peakRssMb = api.peakRssMb();
      ctx.log(
        `API process RSS: ${startRssMb} MB after start, peak ${peakAfterImportMb} MB after the import, ${peakRssMb} MB in all`,
      );

      return {
        unit: 'lines/s',
        value: Math.round(LINES / (ms / 1000)),
        p50: round(ms),
        p99: null,
        peakRssMb,
        params: {
          rssIs: 'VmHWM of the API child process (whole life: start, warm-up, import, re-import)',
          apiRssAfterStartMb: startRssMb,
          apiPeakRssAfterImportMb: peakAfterImportMb,
          lines: LINES,
          warmupLines: WARMUP_LINES,
          fileKiB: Math.round(file.length / 1024),
          chunkSize: DEFAULT_IMPORT_TUNING.chunkSize,
          duplicateReimportLinesPerSecond: Math.round(LINES / (again.ms / 1000)),
          apiCpuMsImport: importCpuMs,
          apiCpuMsReimport: againCpuMs,
          latencyIs: 'ms for the whole POST (p50 = the one measured request)',
        },
        references: [],
        targets: { 'lines/s': 10_000 },
      };
    } finally {
      await api?.stop();
      await infra.close();
      await sql.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
});

export const importSolde = importSoldeScenario(true);
export const importSoldeChainOff = importSoldeScenario(false);
