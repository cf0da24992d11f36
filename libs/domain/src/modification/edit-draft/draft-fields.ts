/**
 * A draft edit's fields as sent: a value is text or null, or an object grouping nested fields (e.g.
 * `scenariosEffectivementInstalles`). Anything else (a number, a list) reaches the decider too,
 * which says what is wrong with it after it has said whether the field may be edited at all.
 */
/** One field an edit touches: its dotted path and the value sent for it. */
export interface DraftFieldEdit {
  path: string;
  value: unknown;
}

/** Deeper groups are not opened: no editable field is that deep, and a hostile body stays cheap. */
const MAX_DEPTH = 4;

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The edited fields as dotted paths: `{ scenarios: { certificatDMP: 'x' } }` edits
 * `scenarios.certificatDMP`. A couloir names nested fields by their path, so nesting is only a way
 * of writing several paths at once; an empty object stays one field (whose value is then invalid).
 */
export const draftFieldEdits = (
  fields: Readonly<Record<string, unknown>>,
  prefix = '',
  depth = 1,
): DraftFieldEdit[] =>
  Object.entries(fields).flatMap(([key, value]) => {
    const path = prefix === '' ? key : `${prefix}.${key}`;
    return isPlainObject(value) && Object.keys(value).length > 0 && depth < MAX_DEPTH
      ? draftFieldEdits(value, path, depth + 1)
      : [{ path, value }];
  });
