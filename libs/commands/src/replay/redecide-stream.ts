import { isDeepStrictEqual } from 'node:util';
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

// A decision's events as they are stored: JSON drops undefined fields, jsonb reorders keys
// (isDeepStrictEqual ignores key order).
const asStored = (events: readonly { type: string; data: unknown }[]): unknown =>
  JSON.parse(JSON.stringify(events.map((e) => ({ type: e.type, data: e.data }))));

/** The value with every `…Cents` field removed, at any depth. */
const withoutAmounts = (v: unknown): unknown => {
  if (Array.isArray(v)) return v.map(withoutAmounts);
  if (v === null || typeof v !== 'object') return v;
  return Object.fromEntries(
    Object.entries(v as Record<string, unknown>)
      .filter(([k]) => !k.endsWith('Cents'))
      .map(([k, x]) => [k, withoutAmounts(x)]),
  );
};

export const differenceOf = (before: DecisionOutcome, after: DecisionOutcome): DifferenceKind | null => {
  if (before.kind === 'refused' && after.kind === 'refused')
    return before.code === after.code ? null : 'refus-different';
  if (before.kind === 'refused') return 'refuse-vers-accepte';
  if (after.kind === 'refused') return 'accepte-vers-refuse';
  const b = asStored(before.kind === 'accepted' ? before.events : []);
  const a = asStored(after.kind === 'accepted' ? after.events : []);
  if (isDeepStrictEqual(b, a)) return null;
  return isDeepStrictEqual(withoutAmounts(b), withoutAmounts(a))
    ? 'montants-differents'
    : 'evenements-differents';
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
