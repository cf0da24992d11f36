import type { EmailDraft } from './email-blocks';
import type { EmailContext } from './email-context';
import { formatDateHeure, suiviUrl } from './format-fr';
import { champsBlock } from './modification-demandee.template';

export const modificationRelance = (c: EmailContext<'MODIFICATION_RELANCE'>): EmailDraft => ({
  subject: `Rappel : votre demande de solde ${c.numeroAsp} est à modifier`,
  blocks: [
    {
      kind: 'p',
      text: `Votre demande de solde ${c.numeroAsp} attend toujours vos modifications (version ${c.numeroAsp}${c.version}).`,
    },
    { kind: 'p', text: 'Pour rappel, le commentaire du gestionnaire :' },
    { kind: 'quote', text: c.commentaire },
    { kind: 'p', text: 'Données à modifier (valeurs actuelles) :' },
    champsBlock(c.champs),
    {
      kind: 'p',
      text: `Après le ${formatDateHeure(c.expiresAt)}, vous ne pourrez plus modifier votre demande : elle repassera au statut « En cours » et sera instruite en l’état, au risque d’être rejetée.`,
    },
    {
      kind: 'link',
      label: 'Modifier ma demande sur la page de suivi',
      href: suiviUrl(c.publicUrl, c.numeroAsp),
    },
  ],
});
