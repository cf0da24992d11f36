import type { RecordedEvent } from '@segur/event-store';
import { DOSSIER_STREAM_PREFIX, eventSchemaPath, type DossierEventType } from '@segur/domain';

/** The CloudEvents media type of structured JSON mode. */
export const CLOUDEVENTS_JSON = 'application/cloudevents+json';

/**
 * The published name of each event type, in the domain's language: a `Record` so a new event type
 * cannot be published without one (the compiler refuses the gap).
 */
export const CLOUD_EVENT_NAMES: Record<DossierEventType, string> = {
  AvanceImported: 'avance-importee',
  AvancePaymentRecorded: 'avance-payee',
  SoldeImported: 'solde-importe',
  SoldeAutoRejected: 'solde-rejete-automatiquement',
  ModificationRequested: 'modification-demandee',
  ModificationDraftEdited: 'brouillon-modifie',
  PieceAdded: 'piece-ajoutee',
  PieceRemoved: 'piece-retiree',
  ModificationSubmitted: 'modification-soumise',
  ModificationDeclined: 'modification-declinee',
  ModificationReminderSent: 'relance-modification-envoyee',
  ModificationExpired: 'modification-expiree',
  SoldeValidated: 'solde-valide',
  SoldeRejected: 'solde-rejete',
  SoldePaymentRecorded: 'solde-paye',
  EmailSent: 'courriel-envoye',
  RecoveryOrderIssued: 'ordre-de-reversement-emis',
};

/** Default `source`: a URI reference naming this engine; `CLOUDEVENTS_SOURCE` replaces it. */
export const DEFAULT_CLOUD_EVENT_SOURCE = '/segur/dossiers';

/** `fr.segur.dossier.<name>.v<schemaVersion>`: the version in the type, as readers route on it. */
export const cloudEventType = (type: string, schemaVersion: number): string => {
  const name = (CLOUD_EVENT_NAMES as Record<string, string | undefined>)[type];
  // An unknown type (not published) keeps its own name, lower-cased: still a valid type string.
  return `fr.segur.dossier.${name ?? type.toLowerCase()}.v${schemaVersion}`;
};

export interface SegurCloudEvent {
  specversion: '1.0';
  id: string;
  source: string;
  type: string;
  subject?: string;
  time: string;
  datacontenttype: 'application/json';
  dataschema: string;
  /** Extension attribute: the feed's cursor of this event (lowercase alphanumeric name, per spec). */
  position: string;
  /** Extension attribute: the stream's version after this event. */
  streamversion: number;
  data: unknown;
}

/**
 * An event as a CloudEvents 1.0 structured-mode JSON object. `subject` is the numéro ASP, the
 * dossier stream's id after its prefix. Metadata (actor, correlation) stays out: it is ours, not
 * the subscriber's.
 */
export const toCloudEvent = (
  event: RecordedEvent,
  options: { source?: string; baseUrl?: string } = {},
): SegurCloudEvent => ({
  specversion: '1.0',
  id: event.id,
  source: options.source ?? DEFAULT_CLOUD_EVENT_SOURCE,
  type: cloudEventType(event.type, event.schemaVersion),
  ...(event.streamId.startsWith(DOSSIER_STREAM_PREFIX)
    ? { subject: event.streamId.slice(DOSSIER_STREAM_PREFIX.length) }
    : {}),
  time: event.recordedAt,
  datacontenttype: 'application/json',
  dataschema: `${options.baseUrl ?? ''}${eventSchemaPath(event.type, event.schemaVersion)}`,
  position: event.position,
  streamversion: event.streamVersion,
  data: event.data,
});
