// The published catalogue of dossier events — feed, SSE, webhooks, CloudEvents `dataschema`, the
// AsyncAPI document and the feed's OpenAPI description all read it; nothing else lists them.
// A `Record` over DossierEventType: a new event type does not compile until it is described here.
// schemaVersion 1 for all today; a new shape gets a new schemaVersion (and an upcaster), old events
// are never rewritten. The schemas describe the data as *published* (see published-event.ts).
import type { DossierEventType, EmailTemplate, Role } from '../dossier/dossier.events';
import {
  arrayOf,
  bool,
  calendarDate,
  cents,
  enumOf,
  instant,
  int,
  nullable,
  object,
  str,
  type JsonSchema,
} from './json-schema';

export interface CatalogueEntry {
  schemaVersion: number;
  /** French: shown to integrators. */
  description: string;
  /** JSON Schema 2020-12 of the event's `data`. */
  data: JsonSchema;
}

const ROLES: readonly Role[] = ['fournisseur', 'gestionnaire', 'assistance', 'auditeur', 'service', 'system'];
const EMAIL_TEMPLATES: readonly EmailTemplate[] = [
  'MODIFICATION_DEMANDEE',
  'MODIFICATION_RELANCE',
  'MODIFICATION_EXPIREE',
  'MODIFICATION_SOUMISE',
  'SOLDE_VALIDE',
  'SOLDE_REJETE',
];

const numeroAsp = str('Numéro ASP du dossier (ex. FINSAS008539)');
const version = str('Version du dossier ouverte par la demande de modification : M1, M2…');
const pieceRef = object({
  pieceId: str(),
  type: str('Type de pièce (ex. FACTURE)'),
  nomFichier: str(),
  taille: int('Octets'),
  sha256: str(),
});
const fieldChange = object({ field: str(), from: nullable(str()), to: nullable(str()) });
const difference = object({ champ: str(), avance: nullable(str()), solde: nullable(str()) });
const scenarios = object(
  {
    hasBALMSSantePersonnelle: bool(),
    operateurMessagerie: str(),
    certificatDMP: str(),
    certificatINSi: str(),
  },
  ['hasBALMSSantePersonnelle', 'operateurMessagerie', 'certificatDMP', 'certificatINSi'],
);
const importLine = {
  numeroAsp,
  numeroAns: str('Numéro ANS du fournisseur'),
  siret: str(),
  importId: str(),
  numLigne: int('Ligne du fichier importé'),
  numeroEditeur: str(),
  beneficiaire: str(),
  pieces: arrayOf(pieceRef),
  contentHash: str('Empreinte de la ligne importée (rejeu idempotent)'),
};
const payment = object({
  numeroAsp,
  datePaiement: calendarDate(),
  montantCents: cents(),
  recordedAt: instant(),
});

export const EVENT_CATALOGUE: Record<DossierEventType, CatalogueEntry> = {
  AvanceImported: {
    schemaVersion: 1,
    description: 'Demande d’avance importée ; le numéro ASP est attribué.',
    data: object({
      ...importLine,
      couloir: str('Couloir de financement (ex. SAS, PHA)'),
      bonDeCommande: object({ dateBonDeCommande: calendarDate(), montantCents: cents() }),
      contactSupport: nullable(str()),
      importedAt: instant(),
    }),
  },
  AvancePaymentRecorded: {
    schemaVersion: 1,
    description: 'Paiement de l’avance effectué.',
    data: payment,
  },
  SoldeImported: {
    schemaVersion: 1,
    description: 'Demande de solde importée (version initiale).',
    data: object({
      ...importLine,
      facture: object({ dateFacture: calendarDate(), montantCents: cents() }),
      beneficiaireHistorique: nullable(str()),
      scenariosEffectivementInstalles: nullable(scenarios),
      champs: {
        type: 'object',
        description: 'Champs éditables tels qu’importés (valeurs de la version initiale)',
        additionalProperties: nullable(str()),
      },
      importedAt: instant(),
    }),
  },
  SoldeAutoRejected: {
    schemaVersion: 1,
    description: 'Rejet automatique (bénéficiaire absent de l’avance).',
    data: object({
      numeroAsp,
      code: enumOf(['BENEFICIAIRE_ABSENT_AVANCE']),
      motif: str(),
      rejectedAt: instant(),
    }),
  },
  ModificationRequested: {
    schemaVersion: 1,
    description: 'Le gestionnaire demande une modification : version M<n> ouverte, statut A_MODIFIER.',
    data: object({
      numeroAsp,
      version,
      round: int('Numéro du tour de modification'),
      commentaire: str(),
      gestionnaireId: str(),
      requestedAt: instant(),
      reminderDueAt: instant('Échéance de la relance (J+10)'),
      expiresAt: instant('Échéance d’expiration (J+20)'),
    }),
  },
  ModificationDraftEdited: {
    schemaVersion: 1,
    description: 'Champ éditable modifié dans le brouillon.',
    data: object({
      numeroAsp,
      version,
      field: str('Chemin du champ (ex. contactSupport)'),
      from: nullable(str()),
      to: nullable(str()),
      editedAt: instant(),
    }),
  },
  PieceAdded: {
    schemaVersion: 1,
    description: 'Pièce ajoutée au brouillon.',
    data: object({ numeroAsp, version, piece: pieceRef, addedAt: instant() }),
  },
  PieceRemoved: {
    schemaVersion: 1,
    description: 'Pièce du brouillon supprimée.',
    data: object({ numeroAsp, version, pieceId: str(), removedAt: instant() }),
  },
  ModificationSubmitted: {
    schemaVersion: 1,
    description: '« Confirmer » : le brouillon devient la version courante.',
    data: object({
      numeroAsp,
      version,
      changes: arrayOf(fieldChange),
      piecesAdded: arrayOf(pieceRef),
      submittedAt: instant(),
    }),
  },
  ModificationDeclined: {
    schemaVersion: 1,
    description: '« Ne pas modifier » : brouillon abandonné.',
    data: object({ numeroAsp, version, declinedBy: enumOf(ROLES), declinedAt: instant() }),
  },
  ModificationReminderSent: {
    schemaVersion: 1,
    description: 'Relance J+10 envoyée.',
    data: object({ numeroAsp, version, sentAt: instant() }),
  },
  ModificationExpired: {
    schemaVersion: 1,
    description: 'J+20 : modification expirée, retour EN_COURS en l’état.',
    data: object({ numeroAsp, version, expiredAt: instant() }),
  },
  SoldeValidated: {
    schemaVersion: 1,
    description: 'Solde validé avec les montants décidés (et la décision modificative éventuelle).',
    data: object({
      numeroAsp,
      engagementRetenuCents: cents(),
      soldeDecideCents: cents(),
      decisionModificative: nullable(object({ differences: arrayOf(difference) })),
      gestionnaireId: str(),
      validatedAt: instant(),
    }),
  },
  SoldeRejected: {
    schemaVersion: 1,
    description: 'Solde rejeté par le gestionnaire.',
    data: object({ numeroAsp, motif: str(), gestionnaireId: str(), rejectedAt: instant() }),
  },
  SoldePaymentRecorded: {
    schemaVersion: 1,
    description: 'Paiement du solde effectué.',
    data: payment,
  },
  EmailSent: {
    schemaVersion: 1,
    description:
      'Courriel automatique accepté par le serveur SMTP (publié sans l’adresse : destinataire « fournisseur »).',
    data: object({
      numeroAsp,
      causationEventId: str('Id de l’événement qui a causé le courriel'),
      template: enumOf(EMAIL_TEMPLATES),
      destinataire: enumOf(['fournisseur'], 'L’adresse reste dans la liste des événements du dossier'),
      subject: str(),
      messageId: str(),
      sentAt: instant(),
    }),
  },
  RecoveryOrderIssued: {
    schemaVersion: 1,
    description: 'Ordre de recouvrement émis.',
    data: object({ numeroAsp, montantCents: cents(), motif: str(), issuedBy: str(), issuedAt: instant() }),
  },
};

/**
 * Where an event type's data schema is published, relative to the API's root: the CloudEvents
 * `dataschema` (which names the schema of `data`, per the CloudEvents specification).
 */
export const eventSchemaPath = (type: string, schemaVersion: number): string =>
  `/schemas/events/${type}.v${schemaVersion}.json`;

/** The document served at `eventSchemaPath`: the data schema with its `$id` and title. */
export const eventDataJsonSchema = (type: DossierEventType, baseUrl = ''): JsonSchema => {
  const entry = EVENT_CATALOGUE[type];
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: `${baseUrl}${eventSchemaPath(type, entry.schemaVersion)}`,
    title: `${type} v${entry.schemaVersion} (data)`,
    description: entry.description,
    ...entry.data,
  };
};
