import type { FieldChange, Role } from '../dossier/dossier.events';

// An enrolment decides where money goes (IBAN, BIC) and who is told (email): each change is a fact
// of a stream per fournisseur, `fournisseur-<siret>`, with who made it and the value it replaced.
// These streams are not dossiers: readers of dossier events filter on the `dossier-` prefix.

export const FOURNISSEUR_STREAM_PREFIX = 'fournisseur-';
export const fournisseurStreamId = (siret: string): string => `${FOURNISSEUR_STREAM_PREFIX}${siret}`;

/**
 * An enrolment's values, flat: `numeroAns`, `denominationSociale`, `adresse.ligne`,
 * `adresse.codePostal`, `adresse.commune`, `email`, `iban`, `bic`.
 */
export type EnrolmentValues = Readonly<Record<string, string>>;

export interface FournisseurEnrolled {
  type: 'FournisseurEnrolled';
  data: { siret: string; values: EnrolmentValues; enrolledAt: string };
}

export interface FournisseurEnrolmentChanged {
  type: 'FournisseurEnrolmentChanged';
  data: { siret: string; changes: FieldChange[]; changedAt: string };
}

export type FournisseurEvent = FournisseurEnrolled | FournisseurEnrolmentChanged;

export const FOURNISSEUR_EVENT_TYPES: readonly FournisseurEvent['type'][] = [
  'FournisseurEnrolled',
  'FournisseurEnrolmentChanged',
];

/** Who changed an enrolment (assistance), kept with each change. */
export interface EnrolmentActor {
  id: string;
  role: Role;
}

/** The values a fournisseur's stream leads to; null: never enrolled through the stream. */
export const foldEnrolment = (events: readonly { type: string; data: unknown }[]): EnrolmentValues | null => {
  let values: Record<string, string> | null = null;
  for (const e of events) {
    if (e.type === 'FournisseurEnrolled') values = { ...(e.data as FournisseurEnrolled['data']).values };
    else if (e.type === 'FournisseurEnrolmentChanged') {
      values = { ...(values ?? {}) };
      for (const c of (e.data as FournisseurEnrolmentChanged['data']).changes)
        if (c.to === null) delete values[c.field];
        else values[c.field] = c.to;
    }
  }
  return values;
};

/**
 * ENR-1: a first enrolment is recorded whole; a later one records the fields that changed, each with
 * its previous value; an enrolment that changes nothing records nothing. `current` is what the
 * stream holds, or, for a fournisseur enrolled before the stream existed, the stored row.
 */
export const decideEnrolment = (
  siret: string,
  current: EnrolmentValues | null,
  next: EnrolmentValues,
  at: string,
  options: { fromStream: boolean },
): FournisseurEvent[] => {
  if (current === null)
    return [{ type: 'FournisseurEnrolled', data: { siret, values: next, enrolledAt: at } }];
  const fields = [...new Set([...Object.keys(current), ...Object.keys(next)])].sort();
  const changes: FieldChange[] = fields
    .map((field) => ({ field, from: current[field] ?? null, to: next[field] ?? null }))
    .filter((c) => c.from !== c.to);
  // Enrolled before the stream: the first event carries the stored values as the previous ones,
  // even unchanged ones would be lost otherwise; only the changed fields are needed though.
  if (changes.length === 0 && options.fromStream) return [];
  if (changes.length === 0)
    return [{ type: 'FournisseurEnrolled', data: { siret, values: next, enrolledAt: at } }];
  return [{ type: 'FournisseurEnrolmentChanged', data: { siret, changes, changedAt: at } }];
};
