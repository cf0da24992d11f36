import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon, { type Client, type Request, type Result } from 'autocannon';
import { v7 as uuidv7 } from 'uuid';
import { JwtVerifier } from '@segur/auth';
import { loadConfig, type Infrastructure } from '@segur/platform';
import { newCommandContext, toNewEvents } from '@segur/commands';
import { openEngine } from '@segur/engine';
import { dossierStreamId, formatNumeroAsp, type DossierCommand, type PieceRef } from '@segur/domain';
import type { AppendManyItem, NewEvent } from '@segur/event-store';
import { startChildApi, type ChildApi } from '../lib/child-api';
import { reference, type Scenario } from '../lib/scenario';

const CLIENTS = 32;
// Each client cycles over its own dossiers, so streams stay as short as a real dossier's (a few
// rounds), and no two clients ever touch one dossier: no conflict is measured, only the path.
const DOSSIERS_PER_CLIENT = 20;
const SECRET = 'bench-commands-http-secret-0123456789abcdef';
const SIRET = '79256844600019';
const NUMERO_ANS = 'pbrSAS0012';
const FINESS = '620006494';

const piece = (type: string, nomFichier: string): PieceRef => ({
  pieceId: uuidv7(),
  type,
  nomFichier,
  taille: 1234,
  sha256: createHash('sha256').update(nomFichier).digest('hex'),
});

/** Avance imported and paid, solde imported: EN_COURS in phase SOLDE, decided here and appended in bulk. */
const prepareSoldesEnCours = async (infra: Infrastructure, numeros: readonly string[]): Promise<void> => {
  const at = new Date().toISOString();
  const seed = { id: 'bench', role: 'assistance' as const };
  for (let start = 0; start < numeros.length; start += 500) {
    const items: AppendManyItem[] = numeros.slice(start, start + 500).map((numeroAsp, i) => {
      const commands: DossierCommand[] = [
        {
          type: 'ImportAvance',
          actor: seed,
          at,
          data: {
            numeroAsp,
            couloir: 'SAS',
            numeroAns: NUMERO_ANS,
            siret: SIRET,
            importId: 'bench',
            numLigne: start + i + 1,
            numeroEditeur: '00001',
            bonDeCommande: { dateBonDeCommande: '2023-01-10', montantCents: 10_000_000 },
            beneficiaire: FINESS,
            contactSupport: 'support@example.org',
            pieces: [piece('AUTRE_S', 'PJ_Demande.pdf')],
            contentHash: `avance-${numeroAsp}`,
          },
        },
        {
          type: 'RecordAvancePayment',
          actor: { id: 'bench', role: 'gestionnaire' },
          at,
          data: { numeroAsp, datePaiement: null, montantCents: null },
        },
        {
          type: 'ImportSolde',
          actor: seed,
          at,
          data: {
            numeroAsp,
            siret: SIRET,
            numeroAns: NUMERO_ANS,
            importId: 'bench',
            numLigne: start + i + 1,
            numeroEditeur: '00001',
            facture: { dateFacture: '2023-02-15', montantCents: 10_000_000 },
            beneficiaire: FINESS,
            beneficiaireHistorique: null,
            contactSupport: null,
            pieces: [
              piece('MSS_RESU_TEST_TECH', 'capture.pdf'),
              piece('decision_attribution', 'decision.pdf'),
              piece('VA', 'va.pdf'),
              piece('FACTURE', 'facture.pdf'),
            ],
            scenariosEffectivementInstalles: null,
            contentHash: `solde-${numeroAsp}`,
          },
        },
      ];
      let state = infra.decider.initialState();
      const events: NewEvent[] = [];
      for (const command of commands) {
        const decision = infra.decider.decide(command, state);
        if (!decision.ok) throw new Error(`préparation : ${decision.error.message}`);
        events.push(...toNewEvents(decision.value, command, newCommandContext()));
        for (const e of decision.value) state = infra.decider.evolve(state, e);
      }
      return { streamId: dossierStreamId(numeroAsp), events, expectedVersion: 'no_stream' };
    });
    const results = await infra.store.appendMany(items);
    if (results.some((r) => !r.ok)) throw new Error('préparation : conflit inattendu');
  }
};

/**
 * One client's endless modification rounds over its own dossiers: request (gestionnaire), edit the
 * draft's contactSupport (fournisseur), submit (fournisseur). Every request is a command.
 */
const roundsOf = (dossiers: readonly string[], gestionnaire: string, fournisseur: string): Request[] => {
  let k = -1;
  let edits = 0;
  let base = '';
  const json = { 'content-type': 'application/json' };
  return [
    {
      method: 'POST',
      headers: { ...json, authorization: `Bearer ${gestionnaire}` },
      body: JSON.stringify({ commentaire: 'merci de corriger le contact support' }),
      setupRequest: (req) => {
        k = (k + 1) % dossiers.length;
        base = `/api/v1/dossiers/${dossiers[k] as string}/modification`;
        return { ...req, path: base };
      },
    },
    {
      method: 'PATCH',
      headers: { ...json, authorization: `Bearer ${fournisseur}` },
      setupRequest: (req) => ({
        ...req,
        path: base,
        body: JSON.stringify({ contactSupport: `support-${++edits}@example.org` }),
      }),
    },
    {
      method: 'POST',
      headers: { authorization: `Bearer ${fournisseur}` },
      setupRequest: (req) => ({ ...req, path: `${base}/submit` }),
    },
  ];
};

const run = (options: autocannon.Options): Promise<Result> =>
  new Promise((resolve, reject) => {
    autocannon(options, (error, result) => (error ? reject(error as Error) : resolve(result)));
  });

const perSecond = (r: Result): number => r['2xx'] / r.duration;

export const commandsHttp: Scenario = {
  name: 'commands-http',
  description: `modification rounds (request → edit draft → submit) over HTTP, ${CLIENTS} concurrent clients on distinct dossiers, API in a child process on PostgreSQL`,
  async run(ctx) {
    const seconds = ctx.quick ? 5 : 15;
    const warmupSeconds = ctx.quick ? 2 : 4;
    await ctx.resetSchema();
    const sql = await ctx.connect(10);
    const dataDir = mkdtempSync(join(tmpdir(), 'segur-bench-commands-'));
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
      // Two sets: the warm-up leaves rounds half done (A_MODIFIER) where it stops, so the measured
      // run works on dossiers of its own, every one EN_COURS when it starts.
      const perRun = CLIENTS * DOSSIERS_PER_CLIENT;
      const numeros = Array.from({ length: 2 * perRun }, (_, i) => formatNumeroAsp('SAS', i + 1));
      const prepStart = performance.now();
      await prepareSoldesEnCours(infra, numeros);
      ctx.log(
        `prepared ${numeros.length} soldes EN_COURS in ${Math.round(performance.now() - prepStart)} ms`,
      );
      api = await startChildApi(ctx, { JWT_SECRET: SECRET, DATA_DIR: dataDir });
      const jwt = new JwtVerifier({ secret: SECRET, jwksUrl: null });
      const gestionnaire = jwt.sign({ sub: 'bench-gestionnaire', role: 'gestionnaire' });
      const fournisseur = jwt.sign({ sub: 'bench-fournisseur', role: 'fournisseur', siret: SIRET });

      const commands = (duration: number, set: number): Promise<Result> => {
        let nextClient = 0;
        const first = set * perRun;
        return run({
          url: api?.baseUrl as string,
          connections: CLIENTS,
          duration,
          // Each connection is one client with its own dossiers and its own request sequence.
          setupClient: (client: Client) => {
            const from = first + (nextClient++ % CLIENTS) * DOSSIERS_PER_CLIENT;
            client.setRequests(
              roundsOf(numeros.slice(from, from + DOSSIERS_PER_CLIENT), gestionnaire, fournisseur),
            );
          },
        });
      };
      await commands(warmupSeconds, 0);
      const ours = await commands(seconds, 1);
      const health = await run({ url: `${api.baseUrl}/health`, connections: CLIENTS, duration: seconds });
      const peakRssMb = api.peakRssMb();
      const value = Math.round(perSecond(ours));
      ctx.log(
        `commands: ${value}/s, p50 ${ours.latency.p50} ms, p99 ${ours.latency.p99} ms, non-2xx ${ours.non2xx}, errors ${ours.errors}`,
      );
      ctx.log(`GET /health: ${Math.round(perSecond(health))}/s, p99 ${health.latency.p99} ms`);
      ctx.log(`API process peak RSS ${peakRssMb} MB`);
      return {
        unit: 'commands/s',
        value,
        p50: ours.latency.p50,
        p99: ours.latency.p99,
        peakRssMb,
        params: {
          clients: CLIENTS,
          dossiersPerClient: DOSSIERS_PER_CLIENT,
          seconds,
          warmupSeconds,
          round:
            'POST /modification (gestionnaire) → PATCH /modification {contactSupport} → POST /modification/submit',
          loadGenerator: `autocannon, ${CLIENTS} connections, one request sequence per connection`,
          non2xx: ours.non2xx,
          errors: ours.errors + ours.timeouts,
          healthP50: health.latency.p50,
          healthP99: health.latency.p99,
          rssIs: 'VmHWM of the API child process',
          latencyIs: 'ms per command request, as autocannon measures it (all three kinds mixed)',
        },
        references: [
          reference('commands/s', value, 'GET /health, same server and concurrency', perSecond(health)),
        ],
        targets: { 'commands/s': 2_000 },
      };
    } finally {
      await api?.stop();
      await infra.close();
      await sql.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
};
