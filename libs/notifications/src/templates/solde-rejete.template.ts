import type { EmailDraft } from './email-blocks';
import type { EmailContext } from './email-context';
import { suiviUrl } from './format-fr';

export const soldeRejete = (c: EmailContext<'SOLDE_REJETE'>): EmailDraft => ({
  subject: `Demande de solde ${c.numeroAsp} : rejetée`,
  blocks: [
    { kind: 'p', text: `Votre demande de solde ${c.numeroAsp} a été rejetée pour le motif suivant :` },
    { kind: 'quote', text: c.motif },
    { kind: 'p', text: 'Pour toute question, vous pouvez contacter l’assistance utilisateur.' },
    { kind: 'link', label: 'Consulter ma demande', href: suiviUrl(c.publicUrl, c.numeroAsp) },
  ],
});
