import { randomUUID } from 'node:crypto';
import {
  DEFAULT_COULOIRS,
  createDossierDecider,
  type Actor,
  type DossierCommand,
  type DossierState,
  type PieceRef,
} from '@segur/domain';
import type { PgSqlClient } from '@segur/event-store';

// Placeholders in the template events, replaced per dossier in SQL: templates are decided once by
// the real decider (so every event is one `evolve` accepts), cloned a million times by the database.
const ASP = 'FINSAS999999';
const SIRET = '99999999999999';

const system: Actor = { id: 'system', role: 'system' };
const gest: Actor = { id: 'gest-1', role: 'gestionnaire' };
const four: Actor = { id: 'fournisseur-1', role: 'fournisseur' };

const piece = (type: string, nomFichier: string): PieceRef => ({
  pieceId: randomUUID(),
  type,
  nomFichier,
  taille: 182_734,
  sha256: 'b5d4045c3f466fa91fe2cc6abe79232a1a57cdf104f7a26e716e0a1e2789df78',
});

type Step = ((at: string) => Omit<DossierCommand, 'at'>) & { days?: number };

/** A step run `days` after the previous one (a reminder or an expiry waits for its due date). */
const later = (days: number, step: Step): Step => Object.assign((at: string) => step(at), { days });

const importAvance: Step = () => ({
  type: 'ImportAvance',
  actor: system,
  data: {
    numeroAsp: ASP,
    couloir: 'SAS',
    numeroAns: 'pbrSAS0012',
    siret: SIRET,
    importId: randomUUID(),
    numLigne: 1,
    numeroEditeur: '00001',
    bonDeCommande: { dateBonDeCommande: '2023-01-10', montantCents: 10_000_000 },
    beneficiaire: '620006494',
    contactSupport: 'support@editeur.fr',
    pieces: [piece('AUTRE_S', 'PJ_Demande.pdf')],
    contentHash: `avance-${ASP}`,
  },
});
const payAvance: Step = () => ({
  type: 'RecordAvancePayment',
  actor: gest,
  data: { numeroAsp: ASP, datePaiement: null, montantCents: null },
});
const importSolde: Step = () => ({
  type: 'ImportSolde',
  actor: system,
  data: {
    numeroAsp: ASP,
    siret: SIRET,
    numeroAns: 'pbrSAS0012',
    importId: randomUUID(),
    numLigne: 1,
    numeroEditeur: '00001',
    facture: { dateFacture: '2023-02-15', montantCents: 7_000_000 },
    beneficiaire: '620006494',
    beneficiaireHistorique: null,
    contactSupport: null,
    pieces: [
      piece('MSS_RESU_TEST_TECH', 'capture-ecran-au-depot.pdf'),
      piece('VA', 'PHA-LGO-Va1-VA-00001.pdf'),
      piece('FACTURE', 'facture.pdf'),
    ],
    scenariosEffectivementInstalles: null,
    contentHash: `solde-${ASP}`,
  },
});
const request: Step = () => ({
  type: 'RequestModification',
  actor: gest,
  data: {
    numeroAsp: ASP,
    commentaire: 'Merci de corriger le contact support',
    reminderAfter: 'P10D',
    expiryAfter: 'P20D',
  },
});
const edit =
  (value: string): Step =>
  () => ({
    type: 'EditModificationDraft',
    actor: four,
    data: { numeroAsp: ASP, fields: { contactSupport: value } },
  });
const addPiece =
  (p: PieceRef): Step =>
  () => ({ type: 'AddPiece', actor: four, data: { numeroAsp: ASP, piece: p } });
const removePiece =
  (p: PieceRef): Step =>
  () => ({ type: 'RemovePiece', actor: four, data: { numeroAsp: ASP, pieceId: p.pieceId } });
const submit: Step = () => ({ type: 'SubmitModification', actor: four, data: { numeroAsp: ASP } });
const decline: Step = () => ({ type: 'DeclineModification', actor: four, data: { numeroAsp: ASP } });
const remind =
  (version: string): Step =>
  () => ({ type: 'SendModificationReminder', actor: system, data: { numeroAsp: ASP, version } });
const expire =
  (version: string): Step =>
  () => ({ type: 'ExpireModification', actor: system, data: { numeroAsp: ASP, version } });
const validate: Step = () => ({
  type: 'ValidateSolde',
  actor: gest,
  data: { numeroAsp: ASP, engagementRetenuCents: null, soldeDecideCents: null },
});
const reject: Step = () => ({
  type: 'RejectSolde',
  actor: gest,
  data: { numeroAsp: ASP, motif: 'Pièces non conformes' },
});
const paySolde: Step = () => ({
  type: 'RecordSoldePayment',
  actor: gest,
  data: { numeroAsp: ASP, datePaiement: null, montantCents: null },
});
const email =
  (template: 'MODIFICATION_DEMANDEE' | 'SOLDE_VALIDE'): Step =>
  () => ({
    type: 'RecordEmailSent',
    actor: system,
    data: {
      numeroAsp: ASP,
      causationEventId: randomUUID(),
      template,
      to: 'contact@editeur.fr',
      subject: `Dossier ${ASP}`,
      messageId: `<${randomUUID()}@segur>`,
    },
  });

const extra = piece('AUTRE_S', 'attestation.pdf');
const wrong = piece('AUTRE_S', 'mauvais-fichier.pdf');

/** Lifecycles a real portfolio shows, from "avance only" to two modification rounds then payment. */
const LIFECYCLES: readonly Step[][] = [
  [importAvance, payAvance],
  [importAvance, payAvance, importSolde, validate, email('SOLDE_VALIDE'), paySolde],
  [
    importAvance,
    payAvance,
    importSolde,
    request,
    email('MODIFICATION_DEMANDEE'),
    edit('hotline@editeur.fr'),
    addPiece(wrong),
    removePiece(wrong),
    addPiece(extra),
    edit('support-sante@editeur.fr'),
    submit,
    validate,
    email('SOLDE_VALIDE'),
    paySolde,
  ],
  [
    importAvance,
    payAvance,
    importSolde,
    request,
    email('MODIFICATION_DEMANDEE'),
    later(11, remind('M1')),
    later(11, expire('M1')),
    request,
    edit('assistance@editeur.fr'),
    addPiece(extra),
    submit,
    validate,
    paySolde,
  ],
  [importAvance, payAvance, importSolde, request, edit('x@editeur.fr'), decline, reject],
  [importAvance, payAvance, importSolde, request, edit('contact@editeur.fr'), addPiece(extra)],
];

interface TemplateEvent {
  lifecycle: number;
  step: number;
  type: string;
  data: string;
  metadata: string;
}

/** A command of a lifecycle as `command_log` records it (the replay scenario's log). */
interface TemplateCommand {
  lifecycle: number;
  id: string;
  type: string;
  payload: string;
  actor: string;
  at: string;
  /** The version its last event reached. */
  version: number;
}

/**
 * Runs each lifecycle through the decider, one day per command from 2023-03-01. Command ids end
 * with the numéro ASP placeholder, so that each dossier's copy has its own (the command log's key).
 */
const templates = (): { events: TemplateEvent[]; commands: TemplateCommand[] } => {
  const decider = createDossierDecider(DEFAULT_COULOIRS);
  const out: TemplateEvent[] = [];
  const commands: TemplateCommand[] = [];
  LIFECYCLES.forEach((steps, lifecycle) => {
    let state: DossierState = decider.initialState();
    let version = 0;
    let day = 0;
    steps.forEach((step, i) => {
      day += step.days ?? 1;
      const at = new Date(Date.UTC(2023, 2, day, 9)).toISOString();
      const command = { ...step(at), at } as DossierCommand;
      const r = decider.decide(command, state);
      if (!r.ok)
        throw new Error(`lifecycle ${lifecycle} step ${i} ${command.type}: ${JSON.stringify(r.error)}`);
      const commandId = `${randomUUID()}-${ASP}`;
      for (const e of r.value) {
        state = decider.evolve(state, e);
        out.push({
          lifecycle,
          step: ++version,
          type: e.type,
          data: JSON.stringify(e.data),
          metadata: JSON.stringify({
            actor: command.actor,
            correlationId: commandId,
            causationId: commandId,
            commandId,
          }),
        });
      }
      commands.push({
        lifecycle,
        id: commandId,
        type: command.type,
        payload: JSON.stringify(command.data),
        actor: JSON.stringify(command.actor),
        at,
        version,
      });
    });
  });
  return { events: out, commands };
};

export interface SeededLifecycles {
  events: number;
  dossiers: number;
}

/**
 * Seeds about `target` events (whole dossiers) in es_events: dossier n follows lifecycle n mod 6,
 * numéro ASP `FINSAS` + n, one of 1,000 SIRETs. Chunks of ~100,000 events per transaction (many
 * transaction ids, as in life); inside a chunk the dossiers' lifecycles interleave step by step.
 */
export const seedLifecycles = async (
  sql: PgSqlClient,
  target: number,
  options: {
    /** Also the `command_log` of every command (table created by the caller): what replay reads. */
    commandLog?: boolean;
  } = {},
): Promise<SeededLifecycles> => {
  const { events: tpl, commands } = templates();
  const perCycle = tpl.length;
  const dossiers = Math.round((target / perCycle) * LIFECYCLES.length);
  const client = await sql.pool.connect();
  try {
    await client.query(
      `CREATE TEMP TABLE bench_tpl (lifecycle int, step int, type text, data text, metadata text)`,
    );
    await client.query(
      `INSERT INTO bench_tpl SELECT * FROM unnest($1::int[], $2::int[], $3::text[], $4::text[], $5::text[])`,
      [
        tpl.map((t) => t.lifecycle),
        tpl.map((t) => t.step),
        tpl.map((t) => t.type),
        tpl.map((t) => t.data),
        tpl.map((t) => t.metadata),
      ],
    );
    const chunk = Math.max(1, Math.round((100_000 / perCycle) * LIFECYCLES.length));
    for (let from = 0; from < dossiers; from += chunk) {
      await client.query(
        `INSERT INTO es_events (stream_id, stream_version, event_id, event_type, schema_version, data, metadata)
         SELECT 'dossier-' || d.asp, t.step, gen_random_uuid(), t.type, 1,
                replace(replace(t.data, '${ASP}', d.asp), '${SIRET}', d.siret)::jsonb,
                replace(t.metadata, '${ASP}', d.asp)::jsonb
           FROM generate_series($1::int, $2::int - 1) AS g
           CROSS JOIN LATERAL (SELECT 'FINSAS' || lpad(g::text, 6, '0') AS asp,
                                      '4430618410' || lpad((g % 1000)::text, 4, '0') AS siret) d
           JOIN bench_tpl t ON t.lifecycle = g % ${LIFECYCLES.length}
          ORDER BY t.step, g`,
        [from, Math.min(from + chunk, dossiers)],
      );
    }
    if (options.commandLog) {
      await client.query(
        `CREATE TEMP TABLE bench_cmd_tpl (lifecycle int, id text, type text, payload text, actor jsonb, at text, version int)`,
      );
      await client.query(
        `INSERT INTO bench_cmd_tpl SELECT * FROM unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::jsonb[], $6::text[], $7::int[])`,
        [
          commands.map((c) => c.lifecycle),
          commands.map((c) => c.id),
          commands.map((c) => c.type),
          commands.map((c) => c.payload),
          commands.map((c) => c.actor),
          commands.map((c) => c.at),
          commands.map((c) => c.version),
        ],
      );
      for (let from = 0; from < dossiers; from += chunk)
        await client.query(
          `INSERT INTO command_log (id, type, stream_id, payload, actor, correlation_id, outcome, error_code, stream_version, decided_at)
           SELECT replace(c.id, '${ASP}', d.asp), c.type, 'dossier-' || d.asp,
                  replace(replace(c.payload, '${ASP}', d.asp), '${SIRET}', d.siret)::jsonb, c.actor,
                  replace(c.id, '${ASP}', d.asp), 'accepted', NULL, c.version, c.at
             FROM generate_series($1::int, $2::int - 1) AS g
             CROSS JOIN LATERAL (SELECT 'FINSAS' || lpad(g::text, 6, '0') AS asp,
                                        '4430618410' || lpad((g % 1000)::text, 4, '0') AS siret) d
             JOIN bench_cmd_tpl c ON c.lifecycle = g % ${LIFECYCLES.length}`,
          [from, Math.min(from + chunk, dossiers)],
        );
      await sql.query('ANALYZE command_log');
    }
  } finally {
    client.release();
  }
  await sql.query('ANALYZE es_events');
  const r = await sql.query<{ n: string }>('SELECT count(*) AS n FROM es_events');
  return { events: Number(r.rows[0]?.n ?? 0), dossiers };
};

/** The SIRETs seeded dossiers use, for fournisseurs rows the suivi page joins. */
export const seededSiret = (n: number): string => `4430618410${String(n % 1000).padStart(4, '0')}`;

/**
 * The commands that take dossier `numeroAsp` of `siret` to an open modification round M1 (avance
 * imported and paid, solde imported, modification requested): the first steps of the lifecycles
 * above, for a scenario that runs them through the command service instead of cloning events.
 */
export const openRoundCommands = (numeroAsp: string, siret: string, at: string): DossierCommand[] =>
  [importAvance, payAvance, importSolde, request].map(
    (step) =>
      JSON.parse(
        JSON.stringify({ ...step(at), at })
          .replaceAll(ASP, numeroAsp)
          .replaceAll(SIRET, siret),
      ) as DossierCommand,
  );
