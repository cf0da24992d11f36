import type { EmailDraft } from './email-blocks';
import type { EmailContext } from './email-context';
import { suiviUrl } from './format-fr';

export const modificationExpiree = (c: EmailContext<'MODIFICATION_EXPIREE'>): EmailDraft => ({
  subject: `Demande de solde ${c.numeroAsp} : délai de modification expiré`,
  blocks: [
    {
      kind: 'p',
      text: `Le délai de modification de votre demande de solde ${c.numeroAsp} (version ${c.numeroAsp}${c.version}) est expiré. Les modifications non confirmées ont été abandonnées.`,
    },
    {
      kind: 'p',
      text: 'Votre demande repasse au statut « En cours » et sera instruite en l’état, au risque d’être rejetée.',
    },
    { kind: 'link', label: 'Consulter ma demande', href: suiviUrl(c.publicUrl, c.numeroAsp) },
  ],
});
