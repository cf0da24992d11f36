import type { EmailTemplate } from '@segur/domain';
import { type EmailDraft, type RenderedEmail, renderDraft } from './email-blocks';
import type { EmailContext, EmailContexts } from './email-context';
import { modificationDemandee } from './modification-demandee.template';
import { modificationExpiree } from './modification-expiree.template';
import { modificationRelance } from './modification-relance.template';
import { modificationSoumise } from './modification-soumise.template';
import { soldeRejete } from './solde-rejete.template';
import { soldeValide } from './solde-valide.template';

const TEMPLATES: { [T in EmailTemplate]: (c: EmailContexts[T]) => EmailDraft } = {
  MODIFICATION_DEMANDEE: modificationDemandee,
  MODIFICATION_RELANCE: modificationRelance,
  MODIFICATION_EXPIREE: modificationExpiree,
  MODIFICATION_SOUMISE: modificationSoumise,
  SOLDE_VALIDE: soldeValide,
  SOLDE_REJETE: soldeRejete,
};

export const renderEmail = <T extends EmailTemplate>(template: T, context: EmailContext<T>): RenderedEmail =>
  renderDraft((TEMPLATES[template] as (c: EmailContext<T>) => EmailDraft)(context));

/** Deterministic, so a retried send carries the same Message-ID and duplicates are recognisable. */
export const emailMessageId = (causationEventId: string, template: EmailTemplate): string =>
  `<${causationEventId}.${template}@segur.local>`;
