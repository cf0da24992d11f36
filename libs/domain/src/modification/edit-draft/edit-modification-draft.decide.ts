import type { CouloirConfig } from '../../couloir/couloir.config';
import type { EditModificationDraft } from '../../dossier/dossier.commands';
import { dossierError, fail, ok, type Result } from '../../dossier/dossier.errors';
import type { DossierEvent } from '../../dossier/dossier.events';
import type { ExistingDossier } from '../../dossier/dossier.state';
import { isContactSupport } from '../../shared/contact-support.valueType';
import { requireEditableRound } from '../open-round.guard';
import { draftFieldEdits } from './draft-fields';

/** MOD-6: same validation as at creation, so that a confirmation never carries an invalid value. */
const FIELD_RULES: Readonly<Record<string, { valid: (value: string | null) => boolean; attendu: string }>> = {
  contactSupport: { valid: isContactSupport, attendu: 'une adresse email ou un lien https' },
};

/** A nested field's value names a group, not a field: every editable value is text (or null). */
const isText = (v: unknown): v is string | null => v === null || typeof v === 'string';

export const decideEditModificationDraft = (
  command: EditModificationDraft,
  state: ExistingDossier,
  couloir: CouloirConfig,
): Result<DossierEvent[]> => {
  const opened = requireEditableRound('Modification', state, command.at);
  if (!opened.ok) return opened;
  const round = opened.value;
  const edits = draftFieldEdits(command.data.fields);
  // MOD-5, all-or-nothing: every field is checked before any event, a PATCH is never half-applied.
  // Whether a field may be edited comes first, whatever its value: a forbidden field is refused as
  // such even when its value is an object or a number.
  for (const { path } of edits) {
    if (!couloir.champsEditables.includes(path)) {
      return fail(
        dossierError('CHAMP_NON_MODIFIABLE', `le champ ${path} n'est pas modifiable pour ce couloir`, path),
      );
    }
  }
  const entries: [string, string | null][] = [];
  for (const { path, value } of edits) {
    if (!isText(value))
      return fail(dossierError('CHAMP_INVALIDE', `valeur invalide pour ${path} : texte attendu`, path));
    const rule = FIELD_RULES[path];
    if (rule !== undefined && !rule.valid(value)) {
      return fail(
        dossierError('CHAMP_INVALIDE', `valeur invalide pour ${path} : ${rule.attendu} est attendu`, path),
      );
    }
    entries.push([path, value]);
  }
  // MOD-7: one event per field whose value changes.
  const events: DossierEvent[] = [];
  for (const [field, to] of entries) {
    const from = round.draftChamps[field] ?? null;
    if (from === to) continue;
    events.push({
      type: 'ModificationDraftEdited',
      data: {
        numeroAsp: state.identity.numeroAsp,
        version: round.version,
        field,
        from,
        to,
        editedAt: command.at,
      },
    });
  }
  return ok(events);
};
