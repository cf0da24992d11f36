/** Labels of the editable fields, as the portal prints them (pages and emails). */
export const CHAMP_LABELS: Readonly<Record<string, string>> = {
  contactSupport:
    'Coordonnées de contact ou lien vers la plateforme de support à destination des Régulateurs ou Effecteurs',
  'scenariosEffectivementInstalles.operateurMessagerie': 'Opérateur de messagerie sécurisée de santé',
  'scenariosEffectivementInstalles.certificatDMP': 'Certificat DMP',
  'scenariosEffectivementInstalles.certificatINSi': 'Certificat INSi',
};

/** The label of an editable field, the field's own name when it has none. */
export const champLabel = (field: string): string => CHAMP_LABELS[field] ?? field;
