import type { CouloirConfig } from '../../couloir/couloir.config';
import type { EditModificationDraft } from '../../dossier/dossier.commands';
import { dossierError, fail, ok, type Result } from '../../dossier/dossier.errors';
import type { DossierEvent } from '../../dossier/dossier.events';
import type { ExistingDossier } from '../../dossier/dossier.state';
import { isContactSupport } from '../../shared/contact-support.valueType';
import { requireEditableRound } from '../open-round.guard';

/** MOD-6: same validation as at creation, so that a confirmation never carries an invalid value. */
const FIELD_RULES: Readonly<Record<string, { valid: (value: string | null) => boolean; attendu: string }>> = {
  contactSupport: { valid: isContactSupport, attendu: 'une adresse email ou un lien https' },
};

export const decideEditModificationDraft = (
  command: EditModificationDraft,
  state: ExistingDossier,
  couloir: CouloirConfig,
): Result<DossierEvent[]> => {
  const opened = requireEditableRound('Modification', state, command.at);
  if (!opened.ok) return opened;
  const round = opened.value;
  const entries = Object.entries(command.data.fields);
  // MOD-5, all-or-nothing: every field is checked before any event, a PATCH is never half-applied.
  for (const [field] of entries) {
    if (!couloir.champsEditables.includes(field)) {
      return fail(
        dossierError('CHAMP_NON_MODIFIABLE', `le champ ${field} n'est pas modifiable pour ce couloir`, field),
      );
    }
  }
  for (const [field, value] of entries) {
    const rule = FIELD_RULES[field];
    if (rule !== undefined && !rule.valid(value)) {
      return fail(
        dossierError('CHAMP_INVALIDE', `valeur invalide pour ${field} : ${rule.attendu} est attendu`, field),
      );
    }
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
