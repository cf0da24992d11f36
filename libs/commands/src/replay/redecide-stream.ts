import {
  couloirOfNumeroAsp,
  numeroAspOfStream,
  type DossierCommand,
  type DossierDecider,
  type DossierEvent,
} from '@segur/domain';
import type { RecordedEvent } from '@segur/event-store';
import { commandOf, type LoggedCommand } from './logged-commands.reader';

/** What a decision was, or would be: events appended, nothing to do, or a refusal's code. */
export type DecisionOutcome =
  { kind: 'accepted'; events: DossierEvent[] } | { kind: 'unchanged' } | { kind: 'refused'; code: string };

/** How a decision under the new configuration differs from the recorded one. */
export type DifferenceKind =
  | 'accepte-vers-refuse'
  | 'refuse-vers-accepte'
  | 'refus-different'
  | 'evenements-differents'
  | 'montants-differents';

export const DIFFERENCE_LABELS: Readonly<Record<DifferenceKind, string>> = {
  'accepte-vers-refuse': 'accepté → refusé',
  'refuse-vers-accepte': 'refusé → accepté',
  'refus-different': 'refus différent',
  'evenements-differents': 'événements différents',
  'montants-differents': 'montants différents',
};

export type RedecidedCommand =
  | {
      kind: 'redecided';
      entry: LoggedCommand;
      numeroAsp: string;
      couloir: string;
      before: DecisionOutcome;
      after: DecisionOutcome;
      /** null: the same decision. */
      difference: DifferenceKind | null;
    }
  /** Its instant was not logged (an entry from before `decided_at`), or its events are not in the stream. */
  | { kind: 'skipped'; entry: LoggedCommand; numeroAsp: string; couloir: string; reason: string };

/**
 * Equal as stored in JSON: key order ignored, a key holding undefined as an absent one (JSON drops
 * it), keys `ignore` names skipped. Hand-written: a JSON round trip of both sides then
 * isDeepStrictEqual was a fifth of the replay's CPU (docs/performance.md, `replay`).
 */
const sameJson = (a: unknown, b: unknown, ignore?: (key: string) => boolean): boolean => {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameJson(a[i], b[i], ignore)) return false;
    return true;
  }
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  const kept = (o: Record<string, unknown>) =>
    Object.keys(o).filter((k) => o[k] !== undefined && !(ignore?.(k) ?? false));
  const kx = kept(x);
  if (kx.length !== kept(y).length) return false;
  for (const k of kx) if (!sameJson(x[k], y[k], ignore)) return false;
  return true;
};

const sameEvents = (
  a: readonly { type: string; data: unknown }[],
  b: readonly { type: string; data: unknown }[],
  ignore?: (key: string) => boolean,
): boolean =>
  a.length === b.length && a.every((e, i) => e.type === b[i]!.type && sameJson(e.data, b[i]!.data, ignore));

const isAmount = (key: string): boolean => key.endsWith('Cents');

export const differenceOf = (before: DecisionOutcome, after: DecisionOutcome): DifferenceKind | null => {
  if (before.kind === 'refused' && after.kind === 'refused')
    return before.code === after.code ? null : 'refus-different';
  if (before.kind === 'refused') return 'refuse-vers-accepte';
  if (after.kind === 'refused') return 'accepte-vers-refuse';
  const b = before.kind === 'accepted' ? before.events : [];
  const a = after.kind === 'accepted' ? after.events : [];
  if (sameEvents(b, a)) return null;
  return sameEvents(b, a, isAmount) ? 'montants-differents' : 'evenements-differents';
};

/**
 * Every recorded decision of one dossier, decided again by `decider` (the new configuration) on
 * the state folded from the events the ORIGINAL decisions appended before it: the actual history
 * is replayed, never a history the new rules would have made (a refusal under the new rules does
 * not remove the events that followed). Pure: nothing is written.
 *
 * The state a command was decided on: for an accepted command, the stream up to its first event
 * (events carry their command's id); for a refusal or a no-op, the stream up to the version logged
 * with it (the version it was decided on).
 */
export const redecideStream = (
  decider: DossierDecider,
  streamId: string,
  events: readonly RecordedEvent[],
  logged: readonly LoggedCommand[],
): RedecidedCommand[] => {
  const numeroAsp = numeroAspOfStream(streamId);
  const couloir = couloirOfNumeroAsp(numeroAsp) ?? '?';
  const byCommand = new Map<string, RecordedEvent[]>();
  for (const e of events) {
    const id = e.metadata.commandId;
    if (typeof id !== 'string') continue;
    const list = byCommand.get(id);
    if (list) list.push(e);
    else byCommand.set(id, [e]);
  }
  const out: RedecidedCommand[] = [];
  const todo: Array<{
    entry: LoggedCommand;
    command: DossierCommand;
    base: number;
    before: DecisionOutcome;
  }> = [];
  for (const entry of logged) {
    const command = commandOf(entry);
    if (command === null) {
      out.push({ kind: 'skipped', entry, numeroAsp, couloir, reason: 'instant non journalisé' });
      continue;
    }
    if (entry.outcome === 'accepted') {
      const own = byCommand.get(entry.id);
      if (own === undefined) {
        out.push({ kind: 'skipped', entry, numeroAsp, couloir, reason: 'événements absents du flux' });
        continue;
      }
      const before: DecisionOutcome = { kind: 'accepted', events: own as unknown as DossierEvent[] };
      todo.push({ entry, command, base: own[0]!.streamVersion - 1, before });
    } else {
      const before: DecisionOutcome =
        entry.outcome === 'refused'
          ? { kind: 'refused', code: entry.errorCode ?? '' }
          : { kind: 'unchanged' };
      todo.push({ entry, command, base: entry.streamVersion ?? 0, before });
    }
  }
  // In the order of the states they were decided on, folding the stream once (a stable sort keeps
  // the log's order among commands decided on the same state).
  todo.sort((a, b) => a.base - b.base);
  let state = decider.initialState();
  let folded = 0;
  for (const { entry, command, base, before } of todo) {
    for (; folded < base && folded < events.length; folded++)
      state = decider.evolve(state, events[folded] as unknown as DossierEvent);
    const decision = decider.decide(command, state);
    const after: DecisionOutcome = !decision.ok
      ? { kind: 'refused', code: decision.error.code }
      : decision.value.length === 0
        ? { kind: 'unchanged' }
        : { kind: 'accepted', events: decision.value };
    out.push({
      kind: 'redecided',
      entry,
      numeroAsp,
      couloir,
      before,
      after,
      difference: differenceOf(before, after),
    });
  }
  return out;
};
