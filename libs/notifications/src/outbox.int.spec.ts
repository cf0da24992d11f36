import type {
  AvanceImported,
  EmailSent,
  ModificationRequested,
  SoldeImported,
  SoldeRejected,
} from '@segur/domain';
import {
  createTestSqlClient,
  type RecordedEvent,
  type SqlClient,
  type TestSqlClient,
} from '@segur/event-store';
import type { EmailRecorder, SentEmail } from './email-recorder.port';
import { SmtpMailer } from './mailer';
import { OutboxDispatcher, outboxStats } from './outbox-dispatcher';
import { OutboxProjection } from './outbox.projection';
import { recorded, waitFor } from './testing/outbox-fixtures';
import { startSmtpSink } from './testing/smtp-sink';

const PUBLIC_URL = 'https://segur.example.fr';
const FROM = 'Ségur numérique <ne-pas-repondre@segur.local>';

describe('courriels : outbox, SMTP réel, consignation unique', () => {
  let db: TestSqlClient;
  let sql: SqlClient;
  let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
  let mailer: SmtpMailer;
  const projection = new OutboxProjection({ publicUrl: PUBLIC_URL });
  let seq = 100;

  beforeAll(async () => {
    [db, smtp] = await Promise.all([createTestSqlClient('mail'), startSmtpSink()]);
    sql = db.client;
    for (const ddl of projection.migrations) await sql.query(ddl);
    await sql.query(
      `INSERT INTO fournisseurs (siret, email) VALUES ('79256844600019', 'pascal.breton@axyus.com')`,
    );
    mailer = new SmtpMailer(smtp.url);
  });
  afterAll(async () => {
    await mailer.close();
    await smtp.close();
    await db.teardown();
  });

  const apply = async (...events: RecordedEvent[]): Promise<void> => {
    await sql.transaction(async (tx) => {
      for (const e of events) await projection.apply(tx, e);
    });
    await projection.afterCommit(events);
  };

  /** A SAS dossier of GARAGE POULAT with its solde imported. */
  const dossier = async (): Promise<string> => {
    seq += 1;
    const numeroAsp = `FINSAS008${seq}`;
    await apply(
      recorded<AvanceImported>('AvanceImported', {
        numeroAsp,
        couloir: 'SAS',
        numeroAns: 'pbrSAS0012',
        siret: '79256844600019',
        importId: 'imp-1',
        numLigne: 1,
        numeroEditeur: '00001',
        bonDeCommande: { dateBonDeCommande: '2023-01-10', montantCents: 10_000_000 },
        beneficiaire: '620006494',
        contactSupport: 'pascal.breton@axyus.com',
        pieces: [],
        contentHash: 'h',
        importedAt: '2023-02-16T09:00:00.000Z',
      }),
      recorded<SoldeImported>('SoldeImported', {
        numeroAsp,
        siret: '79256844600019',
        numeroAns: 'pbrSAS0012',
        importId: 'imp-2',
        numLigne: 1,
        numeroEditeur: '00001',
        facture: { dateFacture: '2023-05-15', montantCents: 10_000_000 },
        beneficiaire: '620006494',
        beneficiaireHistorique: null,
        champs: { contactSupport: 'test123@gmail.com' },
        pieces: [],
        scenariosEffectivementInstalles: null,
        contentHash: 'h2',
        importedAt: '2023-05-16T09:00:00.000Z',
      }),
    );
    return numeroAsp;
  };

  const recordingRecorder = (): { recorder: EmailRecorder; recordedEmails: SentEmail[] } => {
    const recordedEmails: SentEmail[] = [];
    return { recordedEmails, recorder: async (s) => void recordedEmails.push(s) };
  };
  const dispatcher = (
    recorder: EmailRecorder,
    extra: Partial<ConstructorParameters<typeof OutboxDispatcher>[0]> = {},
  ) => new OutboxDispatcher({ sql, mailer, recorder, from: FROM, pollIntervalMs: 100, ...extra });
  const withMessageId = (id: string) => smtp.received.filter((m) => m.messageId === id);

  /**
   * Time passes without waiting: the rate limit's manual clock moves on, and so do the outbox's
   * database deadlines (lease, backoff, rate-limit release), shifted back by the same amount.
   */
  let nowMs = 1_000_000;
  const manualNow = (): number => nowMs;
  const timePasses = async (ms: number): Promise<void> => {
    nowMs += ms;
    await sql.query(
      `UPDATE email_outbox SET next_attempt_at = next_attempt_at - $1::integer * interval '1 millisecond'
        WHERE status = 'PENDING'`,
      [ms],
    );
  };

  test('demande de modification : courriel français reçu par le serveur SMTP, consigné une fois', async () => {
    const numeroAsp = await dossier();
    const requested = recorded<ModificationRequested>('ModificationRequested', {
      numeroAsp,
      version: 'M1',
      round: 1,
      commentaire: 'test modif <script>alert(1)</script>',
      gestionnaireId: 'g1',
      requestedAt: '2023-08-07T08:00:00.000Z',
      reminderDueAt: '2023-08-17T08:00:00.000Z',
      expiresAt: '2023-08-27T08:00:00.000Z',
    });
    await apply(requested);
    await apply(requested); // replayed event: still one row
    const { recorder, recordedEmails } = recordingRecorder();
    const report = await dispatcher(recorder).runOnce();
    expect(report).toMatchObject({ sent: 1, recorded: 1, failed: 0 });

    const messageId = `<${requested.id}.MODIFICATION_DEMANDEE@segur.local>`;
    await waitFor(() => withMessageId(messageId).length === 1);
    const mail = withMessageId(messageId)[0]!;
    expect(mail.subject).toBe(`Demande de solde ${numeroAsp} : modifications demandées`);
    expect(mail.to && !Array.isArray(mail.to) ? mail.to.text : '').toBe('pascal.breton@axyus.com');
    expect(mail.text).toContain('test modif <script>alert(1)</script>');
    expect(mail.text).toContain(
      'Coordonnées de contact ou lien vers la plateforme de support à destination des Régulateurs ou Effecteurs : test123@gmail.com',
    );
    expect(mail.text).toContain(`${PUBLIC_URL}/dossiers/${numeroAsp}`);
    expect(mail.text).toContain('27/08/2023 à 10:00');
    expect(mail.text).toContain(`${numeroAsp}M1`);
    expect(mail.html).toContain('test modif &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(mail.html).not.toContain('<script>');

    expect(recordedEmails).toEqual([
      {
        numeroAsp,
        causationEventId: requested.id,
        template: 'MODIFICATION_DEMANDEE',
        to: 'pascal.breton@axyus.com',
        subject: mail.subject,
        messageId,
      },
    ]);
    // The resulting EmailSent is idempotent on the row; nothing left to send.
    await apply(
      recorded<EmailSent>('EmailSent', {
        ...recordedEmails[0]!,
        sentAt: new Date().toISOString(),
      }),
    );
    expect(await dispatcher(recorder).runOnce()).toMatchObject({ claimed: 0 });
    expect(recordedEmails).toHaveLength(1);
  });

  test('crash entre l’envoi et la consignation : un seul Message-ID au serveur, une seule consignation', async () => {
    const numeroAsp = await dossier();
    const rejected = recorded<SoldeRejected>('SoldeRejected', {
      numeroAsp,
      motif: 'Le VA fourni est un PV de recette.',
      gestionnaireId: 'g1',
      rejectedAt: new Date().toISOString(),
    });
    await apply(rejected);
    const messageId = `<${rejected.id}.SOLDE_REJETE@segur.local>`;

    // Worker A: SMTP accepts, then the process "dies" inside the recorder (never returns).
    let recorderACalls = 0;
    let unblockA: (e: Error) => void = () => undefined;
    const a = dispatcher(
      async () => {
        recorderACalls += 1;
        await new Promise<void>((_resolve, reject) => (unblockA = reject));
      },
      { leaseMs: 60_000 },
    );
    const aRun = a.runOnce();
    await waitFor(() => recorderACalls === 1);
    expect(withMessageId(messageId)).toHaveLength(1);

    // While A's lease holds, worker B sees nothing to do.
    const { recorder, recordedEmails } = recordingRecorder();
    expect(await dispatcher(recorder).runOnce()).toMatchObject({ claimed: 0 });
    // Worker B takes over once A's lease has expired: it only records.
    await timePasses(60_000);
    const report = await dispatcher(recorder).runOnce();
    expect(report).toMatchObject({ sent: 0, recorded: 1 });
    expect(recordedEmails.map((r) => r.messageId)).toEqual([messageId]);
    expect(withMessageId(messageId)).toHaveLength(1);
    expect(withMessageId(messageId)[0]!.text).toContain('Le VA fourni est un PV de recette.');

    // A's late failure leaves the SENT row alone.
    unblockA(new Error('processus tué'));
    await aRun;
    const row = await sql.query<{ status: string }>(
      `SELECT status FROM email_outbox WHERE causation_event_id = $1`,
      [rejected.id],
    );
    expect(row.rows[0]?.status).toBe('SENT');
  });

  test('limite de débit : une rafale est mise en file, rien n’est perdu', async () => {
    const numeros = await Promise.all([dossier(), dossier(), dossier(), dossier(), dossier()]);
    const events = numeros.map((numeroAsp) =>
      recorded<SoldeRejected>('SoldeRejected', {
        numeroAsp,
        motif: 'motif',
        gestionnaireId: 'g1',
        rejectedAt: new Date().toISOString(),
      }),
    );
    await apply(...events);
    const ids = events.map((e) => `<${e.id}.SOLDE_REJETE@segur.local>`);
    const count = () => smtp.received.filter((m) => ids.includes(m.messageId ?? '')).length;
    const { recorder, recordedEmails } = recordingRecorder();
    // 2 at once, then one every 750 ms of the manual clock.
    const d = dispatcher(recorder, { rateLimit: { max: 2, windowMs: 1_500 }, now: manualNow });
    expect(await d.runOnce()).toMatchObject({ sent: 2 });
    expect(count()).toBe(2);
    // The bucket is empty: the next row is held back until a token comes, and says when.
    expect(await d.runOnce()).toMatchObject({ sent: 0, failed: 0, rateLimitedForMs: 750 });
    expect(count()).toBe(2);
    expect((await outboxStats(sql)).pending).toBe(3);
    await timePasses(749);
    expect(await d.runOnce()).toMatchObject({ sent: 0 });
    await timePasses(1);
    expect(await d.runOnce()).toMatchObject({ sent: 1 });
    expect(count()).toBe(3);
    await timePasses(1_500);
    expect(await d.runOnce()).toMatchObject({ sent: 2 });
    expect(count()).toBe(5);
    expect((await outboxStats(sql)).pending).toBe(0);
    expect(recordedEmails).toHaveLength(5);
  });

  test('adresse du fournisseur inconnue : l’envoi attend l’enrôlement, sans rien perdre', async () => {
    await sql.query(`INSERT INTO fournisseurs (siret, email) VALUES ('80125271900415', NULL)`);
    const numeroAsp = 'FINPHA004979';
    await apply(
      recorded<AvanceImported>('AvanceImported', {
        numeroAsp,
        couloir: 'PHA',
        numeroAns: 'zbuPHA0005',
        siret: '80125271900415',
        importId: 'imp-9',
        numLigne: 1,
        numeroEditeur: '00001',
        bonDeCommande: { dateBonDeCommande: '2023-01-10', montantCents: 100_000 },
        beneficiaire: '620006494',
        contactSupport: null,
        pieces: [],
        contentHash: 'h9',
        importedAt: '2023-02-16T09:00:00.000Z',
      }),
    );
    const e = recorded<SoldeRejected>('SoldeRejected', {
      numeroAsp,
      motif: 'm',
      gestionnaireId: 'g',
      rejectedAt: '2023-09-01T10:00:00.000Z',
    });
    await apply(e);
    const { recorder, recordedEmails } = recordingRecorder();
    const d = dispatcher(recorder, { backoff: { baseMs: 60_000, maxMs: 60_000 } });
    expect(await d.runOnce()).toMatchObject({ claimed: 1, failed: 1 });
    await sql.query(
      `UPDATE fournisseurs SET email = 'contact@officine.example' WHERE siret = '80125271900415'`,
    );
    // Before its backoff, the row waits; after it, it goes.
    expect(await d.runOnce()).toMatchObject({ claimed: 0 });
    await timePasses(60_000);
    expect(await d.runOnce()).toMatchObject({ sent: 1, recorded: 1 });
    expect(recordedEmails.map((r) => [r.causationEventId, r.to])).toEqual([
      [e.id, 'contact@officine.example'],
    ]);
  });
});
