import type { DossierEventType } from '@segur/domain';

// The published catalogue of events (feed, webhooks, EventStoreDB readers). schemaVersion 1 for
// all today; a new shape gets a new schemaVersion and an upcaster, old events are never rewritten.
export const EVENT_CATALOGUE: Record<
  DossierEventType,
  { schemaVersion: number; description: string; fields: string }
> = {
  AvanceImported: {
    schemaVersion: 1,
    description: 'Demande d’avance importée ; le numéro ASP est attribué.',
    fields:
      'numeroAsp, couloir, numeroAns, siret, importId, numLigne, numeroEditeur, bonDeCommande{dateBonDeCommande, montantCents}, beneficiaire, contactSupport, pieces[], contentHash, importedAt',
  },
  AvancePaymentRecorded: {
    schemaVersion: 1,
    description: 'Paiement de l’avance effectué.',
    fields: 'numeroAsp, datePaiement, montantCents, recordedAt',
  },
  SoldeImported: {
    schemaVersion: 1,
    description: 'Demande de solde importée (version initiale).',
    fields:
      'numeroAsp, siret, numeroAns, importId, numLigne, numeroEditeur, facture{dateFacture, montantCents}, beneficiaire, beneficiaireHistorique, champs, pieces[], scenariosEffectivementInstalles, contentHash, importedAt',
  },
  SoldeAutoRejected: {
    schemaVersion: 1,
    description: 'Rejet automatique (bénéficiaire absent de l’avance).',
    fields: 'numeroAsp, code, motif, rejectedAt',
  },
  ModificationRequested: {
    schemaVersion: 1,
    description: 'Le gestionnaire demande une modification : version M<n> ouverte, statut A_MODIFIER.',
    fields: 'numeroAsp, version, round, commentaire, gestionnaireId, requestedAt, reminderDueAt, expiresAt',
  },
  ModificationDraftEdited: {
    schemaVersion: 1,
    description: 'Champ éditable modifié dans le brouillon.',
    fields: 'numeroAsp, version, field, from, to, editedAt',
  },
  PieceAdded: {
    schemaVersion: 1,
    description: 'Pièce ajoutée au brouillon.',
    fields: 'numeroAsp, version, piece{pieceId, type, nomFichier, taille, sha256}, addedAt',
  },
  PieceRemoved: {
    schemaVersion: 1,
    description: 'Pièce du brouillon supprimée.',
    fields: 'numeroAsp, version, pieceId, removedAt',
  },
  ModificationSubmitted: {
    schemaVersion: 1,
    description: '« Confirmer » : le brouillon devient la version courante.',
    fields: 'numeroAsp, version, changes[{field, from, to}], piecesAdded[], submittedAt',
  },
  ModificationDeclined: {
    schemaVersion: 1,
    description: '« Ne pas modifier » : brouillon abandonné.',
    fields: 'numeroAsp, version, declinedBy, declinedAt',
  },
  ModificationReminderSent: {
    schemaVersion: 1,
    description: 'Relance J+10 envoyée.',
    fields: 'numeroAsp, version, sentAt',
  },
  ModificationExpired: {
    schemaVersion: 1,
    description: 'J+20 : modification expirée, retour EN_COURS en l’état.',
    fields: 'numeroAsp, version, expiredAt',
  },
  SoldeValidated: {
    schemaVersion: 1,
    description: 'Solde validé avec les montants décidés (et la décision modificative éventuelle).',
    fields:
      'numeroAsp, engagementRetenuCents, soldeDecideCents, decisionModificative{differences[]}, gestionnaireId, validatedAt',
  },
  SoldeRejected: {
    schemaVersion: 1,
    description: 'Solde rejeté par le gestionnaire.',
    fields: 'numeroAsp, motif, gestionnaireId, rejectedAt',
  },
  SoldePaymentRecorded: {
    schemaVersion: 1,
    description: 'Paiement du solde effectué.',
    fields: 'numeroAsp, datePaiement, montantCents, recordedAt',
  },
  EmailSent: {
    schemaVersion: 1,
    description: 'Courriel automatique accepté par le serveur SMTP.',
    fields:
      'numeroAsp, causationEventId, template, destinataire (« fournisseur » : l’adresse reste dans la liste des événements du dossier), subject, messageId, sentAt',
  },
  RecoveryOrderIssued: {
    schemaVersion: 1,
    description: 'Ordre de recouvrement émis.',
    fields: 'numeroAsp, montantCents, motif, issuedBy, issuedAt',
  },
};

export const eventCatalogueMarkdown = (): string =>
  [
    'Enveloppe : `id` (UUID v7), `type`, `schemaVersion`, `streamId` (`dossier-<numeroAsp>`), `streamVersion`, `position` (curseur opaque, totalement ordonné), `recordedAt`, `data`, `metadata` {`actor` {id, role}, `correlationId`, `causationId`, `commandId`}.',
    '',
    '| type | schemaVersion | description | data |',
    '|---|---|---|---|',
    ...Object.entries(EVENT_CATALOGUE).map(
      ([t, c]) => `| ${t} | ${c.schemaVersion} | ${c.description} | ${c.fields} |`,
    ),
  ].join('\n');
