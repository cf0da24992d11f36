import {
  type AvanceImported,
  type CouloirsConfig,
  DEFAULT_COULOIRS,
  type EmailSent,
  type EmailTemplate,
  type ModificationExpired,
  type ModificationReminderSent,
  type ModificationRequested,
  type ModificationSubmitted,
  type SoldeImported,
  type SoldeRejected,
  type SoldeValidated,
} from '@segur/domain';
import type { RecordedEvent, SqlExecutor } from '@segur/event-store';
import type { Projection, RebuildCapability } from '@segur/projections';
import { type Logger, silentLogger } from '@segur/kernel';
import { OUTBOX_MIGRATIONS } from './outbox.schema';
import type { ChampCourant, EmailContext } from './templates/email-context';
import { emailMessageId, renderEmail } from './templates/render-email';

export interface OutboxProjectionOptions {
  /** PUBLIC_URL of the portal, for the links to the suivi page. */
  publicUrl: string;
  couloirs?: CouloirsConfig;
  /** Woken after a commit that queued mail, so the dispatcher does not wait for its next poll. */
  onQueued?: () => void;
  logger?: Logger;
}

/** The events that queue an email (one each). */
const CAUSING_TYPES = [
  'ModificationRequested',
  'ModificationReminderSent',
  'ModificationExpired',
  'ModificationSubmitted',
  'SoldeValidated',
  'SoldeRejected',
] as const;
const CAUSING = new Set<string>(CAUSING_TYPES);

/** The causing events, those that tell what the emails say of the dossier, and EmailSent. */
const EVENT_TYPES = ['AvanceImported', 'SoldeImported', ...CAUSING_TYPES, 'EmailSent'] as const;

/** The editable fields' new values over the dossier's current ones. */
const mergeChamps = async (
  tx: SqlExecutor,
  numeroAsp: string,
  champs: Record<string, string | null>,
): Promise<void> => {
  await tx.query(`UPDATE email_dossiers SET champs = champs || $2::jsonb WHERE numero_asp = $1`, [
    numeroAsp,
    JSON.stringify(champs),
  ]);
};

interface DossierRow {
  siret: string;
  couloir: string;
  champs: Record<string, string | null> | string;
  round_version: string | null;
  round_commentaire: string | null;
  round_expires_at: unknown;
}

/**
 * The email outbox (projection `email-outbox`): each causing event queues exactly one rendered
 * email, keyed by the event id; `EmailSent` closes it. Sending happens outside, in the dispatcher.
 */
export class OutboxProjection implements Projection, RebuildCapability {
  readonly name = 'email-outbox';
  readonly migrations = OUTBOX_MIGRATIONS;
  // `fournisseurs` is read, not owned: it is not swapped on a rebuild.
  readonly tables = ['email_outbox', 'email_dossiers'] as const;
  readonly eventTypes = EVENT_TYPES;
  readonly metadataKeys = [];
  private readonly couloirs: CouloirsConfig;
  private readonly logger: Logger;

  constructor(private readonly o: OutboxProjectionOptions) {
    this.couloirs = o.couloirs ?? DEFAULT_COULOIRS;
    this.logger = o.logger ?? silentLogger;
  }

  async apply(tx: SqlExecutor, event: RecordedEvent): Promise<void> {
    switch (event.type) {
      case 'AvanceImported': {
        const d = event.data as AvanceImported['data'];
        await tx.query(
          `INSERT INTO email_dossiers (numero_asp, siret, couloir, champs) VALUES ($1, $2, $3, $4::jsonb)
           ON CONFLICT (numero_asp) DO UPDATE SET siret = EXCLUDED.siret, couloir = EXCLUDED.couloir`,
          [d.numeroAsp, d.siret, d.couloir, JSON.stringify({ contactSupport: d.contactSupport })],
        );
        return;
      }
      case 'SoldeImported': {
        const d = event.data as SoldeImported['data'];
        await mergeChamps(tx, d.numeroAsp, d.champs);
        return;
      }
      case 'ModificationRequested': {
        const d = event.data as ModificationRequested['data'];
        await tx.query(
          `UPDATE email_dossiers SET round_version = $2, round_commentaire = $3, round_expires_at = $4 WHERE numero_asp = $1`,
          [d.numeroAsp, d.version, d.commentaire, d.expiresAt],
        );
        const dossier = await this.dossier(tx, d.numeroAsp);
        await this.enqueue(tx, event, 'MODIFICATION_DEMANDEE', d.numeroAsp, dossier, {
          version: d.version,
          commentaire: d.commentaire,
          champs: this.champs(dossier),
          expiresAt: d.expiresAt,
        });
        return;
      }
      case 'ModificationReminderSent': {
        const d = event.data as ModificationReminderSent['data'];
        const dossier = await this.dossier(tx, d.numeroAsp);
        await this.enqueue(tx, event, 'MODIFICATION_RELANCE', d.numeroAsp, dossier, {
          version: d.version,
          commentaire: dossier?.round_commentaire ?? '',
          champs: this.champs(dossier),
          expiresAt: dossier?.round_expires_at
            ? new Date(dossier.round_expires_at as string).toISOString()
            : d.sentAt,
        });
        return;
      }
      case 'ModificationExpired': {
        const d = event.data as ModificationExpired['data'];
        await this.enqueue(
          tx,
          event,
          'MODIFICATION_EXPIREE',
          d.numeroAsp,
          await this.dossier(tx, d.numeroAsp),
          {
            version: d.version,
          },
        );
        return;
      }
      case 'ModificationSubmitted': {
        const d = event.data as ModificationSubmitted['data'];
        await mergeChamps(tx, d.numeroAsp, Object.fromEntries(d.changes.map((c) => [c.field, c.to])));
        await this.enqueue(
          tx,
          event,
          'MODIFICATION_SOUMISE',
          d.numeroAsp,
          await this.dossier(tx, d.numeroAsp),
          {
            version: d.version,
            changes: d.changes,
            piecesAjoutees: d.piecesAdded.map((p) => `${p.nomFichier} (${p.type})`),
          },
        );
        return;
      }
      case 'SoldeValidated': {
        const d = event.data as SoldeValidated['data'];
        await this.enqueue(tx, event, 'SOLDE_VALIDE', d.numeroAsp, await this.dossier(tx, d.numeroAsp), {
          engagementRetenuCents: d.engagementRetenuCents,
          soldeDecideCents: d.soldeDecideCents,
          decisionModificative: d.decisionModificative,
        });
        return;
      }
      case 'SoldeRejected': {
        const d = event.data as SoldeRejected['data'];
        await this.enqueue(tx, event, 'SOLDE_REJETE', d.numeroAsp, await this.dossier(tx, d.numeroAsp), {
          motif: d.motif,
        });
        return;
      }
      case 'EmailSent': {
        const d = event.data as EmailSent['data'];
        await tx.query(
          `UPDATE email_outbox SET status = 'SENT', sent_at = COALESCE(sent_at, $2) WHERE causation_event_id = $1`,
          [d.causationEventId, d.sentAt],
        );
        return;
      }
      default:
        return;
    }
  }

  async afterCommit(events: readonly RecordedEvent[]): Promise<void> {
    if (events.some((e) => CAUSING.has(e.type))) this.o.onQueued?.();
  }

  private async dossier(tx: SqlExecutor, numeroAsp: string): Promise<DossierRow | null> {
    const r = await tx.query<DossierRow>(
      `SELECT siret, couloir, champs, round_version, round_commentaire, round_expires_at FROM email_dossiers WHERE numero_asp = $1`,
      [numeroAsp],
    );
    return r.rows[0] ?? null;
  }

  /** The couloir's editable fields with their current values: "the data to modify". */
  private champs(dossier: DossierRow | null): ChampCourant[] {
    if (!dossier) return [];
    const values = (
      typeof dossier.champs === 'string' ? JSON.parse(dossier.champs) : dossier.champs
    ) as Record<string, string | null>;
    const fields = this.couloirs[dossier.couloir]?.champsEditables ?? Object.keys(values);
    return fields.map((field) => ({ field, value: values[field] ?? null }));
  }

  /** Renders `template` for the dossier (its links and number given here) and queues it. */
  private async enqueue<T extends EmailTemplate>(
    tx: SqlExecutor,
    event: RecordedEvent,
    template: T,
    numeroAsp: string,
    dossier: DossierRow | null,
    specific: Omit<EmailContext<T>, 'numeroAsp' | 'publicUrl'>,
  ): Promise<void> {
    const context = { ...specific, numeroAsp, publicUrl: this.o.publicUrl } as EmailContext<T>;
    const rendered = renderEmail(template, context);
    // Recipient resolved now when known; otherwise (fournisseurs read model lagging) at dispatch.
    const to = dossier
      ? ((
          await tx.query<{ email: string | null }>(`SELECT email FROM fournisseurs WHERE siret = $1`, [
            dossier.siret,
          ])
        ).rows[0]?.email ?? null)
      : null;
    if (!dossier) this.logger.warn({ numeroAsp, template }, 'courriel sans dossier connu (avance absente)');
    await tx.query(
      `INSERT INTO email_outbox (causation_event_id, template, numero_asp, to_address, subject, text_body, html_body, message_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING`,
      [
        event.id,
        template,
        numeroAsp,
        to,
        rendered.subject,
        rendered.text,
        rendered.html,
        emailMessageId(event.id, template),
      ],
    );
  }
}
