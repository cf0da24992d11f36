import type { EmailBlock, EmailDraft } from './email-blocks';
import type { EmailContext } from './email-context';
import { champLabel, suiviUrl, valeurAffichee } from './format-fr';

export const modificationSoumise = (c: EmailContext<'MODIFICATION_SOUMISE'>): EmailDraft => {
  const changes: EmailBlock[] =
    c.changes.length > 0
      ? [
          { kind: 'p', text: 'Données modifiées :' },
          {
            kind: 'fields',
            rows: c.changes.map(
              (x) => [champLabel(x.field), `${valeurAffichee(x.from)} → ${valeurAffichee(x.to)}`] as const,
            ),
          },
        ]
      : [];
  const pieces: EmailBlock[] =
    c.piecesAjoutees.length > 0
      ? [
          { kind: 'p', text: 'Pièces justificatives ajoutées :' },
          { kind: 'list', items: c.piecesAjoutees },
        ]
      : [];
  return {
    subject: `Demande de solde ${c.numeroAsp} : modification bien reçue`,
    blocks: [
      {
        kind: 'p',
        text: `Nous accusons réception de la modification de votre demande de solde ${c.numeroAsp} (version ${c.numeroAsp}${c.version}).`,
      },
      ...changes,
      ...pieces,
      {
        kind: 'p',
        text: 'Votre demande repasse au statut « En cours » et sera à nouveau instruite par un gestionnaire dans les prochains jours.',
      },
      { kind: 'link', label: 'Consulter ma demande', href: suiviUrl(c.publicUrl, c.numeroAsp) },
    ],
  };
};
