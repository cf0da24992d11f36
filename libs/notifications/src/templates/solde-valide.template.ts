import type { EmailBlock, EmailDraft } from './email-blocks';
import type { EmailContext } from './email-context';
import { formatEuros, suiviUrl, valeurAffichee } from './format-fr';

export const soldeValide = (c: EmailContext<'SOLDE_VALIDE'>): EmailDraft => {
  const modificative = c.decisionModificative;
  const decision: EmailBlock[] = modificative
    ? [
        {
          kind: 'p',
          text: 'Le périmètre ou le montant total de votre demande diffère de la demande d’avance : une décision d’attribution modificative est prise. Différences constatées :',
        },
        {
          kind: 'list',
          items: modificative.differences.map(
            (d) => `${d.champ} : avance ${valeurAffichee(d.avance)}, solde ${valeurAffichee(d.solde)}`,
          ),
        },
      ]
    : [];
  return {
    subject: modificative
      ? `Demande de solde ${c.numeroAsp} : validée, décision d’attribution modificative`
      : `Demande de solde ${c.numeroAsp} : validée`,
    blocks: [
      { kind: 'p', text: `Votre demande de solde ${c.numeroAsp} a été validée.` },
      ...decision,
      {
        kind: 'fields',
        rows: [
          ['Engagement retenu', formatEuros(c.engagementRetenuCents)],
          ['Solde décidé', formatEuros(c.soldeDecideCents)],
        ],
      },
      { kind: 'p', text: 'Le paiement du solde interviendra prochainement.' },
      { kind: 'link', label: 'Consulter ma demande', href: suiviUrl(c.publicUrl, c.numeroAsp) },
    ],
  };
};
