import type { EmailBlock, EmailDraft } from './email-blocks';
import type { ChampCourant, EmailContext } from './email-context';
import { champLabel, formatDateHeure, suiviUrl, valeurAffichee } from './format-fr';

export const champsBlock = (champs: ChampCourant[]): EmailBlock => ({
  kind: 'fields',
  rows: champs.map((c) => [champLabel(c.field), valeurAffichee(c.value)] as const),
});

export const modificationDemandee = (c: EmailContext<'MODIFICATION_DEMANDEE'>): EmailDraft => ({
  subject: `Demande de solde ${c.numeroAsp} : modifications demandées`,
  blocks: [
    {
      kind: 'p',
      text: `Le gestionnaire en charge de votre demande de solde ${c.numeroAsp} vous invite à la modifier (version ${c.numeroAsp}${c.version}). Votre demande est désormais au statut « A modifier ».`,
    },
    { kind: 'p', text: 'Commentaire du gestionnaire :' },
    { kind: 'quote', text: c.commentaire },
    { kind: 'p', text: 'Données modifiables (valeurs actuelles) :' },
    champsBlock(c.champs),
    { kind: 'p', text: 'Vous pouvez également ajouter des pièces justificatives.' },
    {
      kind: 'p',
      text: `Sans action de votre part avant le ${formatDateHeure(c.expiresAt)}, la modification ne sera plus possible et votre demande sera instruite en l’état, au risque d’être rejetée.`,
    },
    {
      kind: 'link',
      label: 'Modifier ma demande sur la page de suivi',
      href: suiviUrl(c.publicUrl, c.numeroAsp),
    },
  ],
});
