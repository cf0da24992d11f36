import fc from 'fast-check';
import { DEFAULT_COULOIRS } from '../couloir/couloir.config';
import type { DossierCommand } from './dossier.commands';
import type { DossierAction } from './dossier.allowed-actions';
import { allowedActions } from './dossier.allowed-actions';
import { createDossierDecider, foldDossier } from './dossier.decider';
import type { DossierEvent } from './dossier.events';
import type { DossierState } from './dossier.state';
import {
  ACTORS,
  command,
  importSoldePoulat,
  piece,
  POULAT,
  POULAT_AT,
  POULAT_SOLDE_EN_COURS,
  validateSolde,
} from '../testing/seed-fixtures';

// Random command sequences on one dossier (GARAGE POULAT, solde EN_COURS), at increasing instants
// spread over the modification round's J+10 and J+20. Bounded runs: `npm test` stays fast; on a
// failure fast-check prints the seed and the shrunk sequence to replay.
const RUNS = 150;
const decider = createDossierDecider(DEFAULT_COULOIRS);
const numeroAsp = POULAT.numeroAsp;
const START = Date.parse(POULAT_AT.soldeImport) + 1_000;
const DAY = 86_400_000;

type Step =
  | { kind: 'request' | 'submit' | 'decline' | 'validate' | 'reminder' | 'expiry' | 'reimport' }
  | { kind: 'edit'; n: number }
  | { kind: 'add'; n: number }
  | { kind: 'remove' };

type LandOn = 'reminder' | 'expiry-1ms' | 'expiry' | null;
interface Timed {
  step: Step;
  gapMs: number;
  /** Jumps to an instant of the open round when it is still ahead: the boundaries are where rules break. */
  landOn: LandOn;
}

const stepArb: fc.Arbitrary<Timed> = fc.record({
  step: fc.oneof(
    fc.constantFrom<Step>(
      { kind: 'request' },
      { kind: 'submit' },
      { kind: 'decline' },
      { kind: 'validate' },
      { kind: 'reminder' },
      { kind: 'expiry' },
      { kind: 'reimport' },
      { kind: 'remove' },
    ),
    fc.nat(5).map((n): Step => ({ kind: 'edit', n })),
    fc.nat(5).map((n): Step => ({ kind: 'add', n })),
  ),
  // Mostly small gaps, sometimes days (crossing J+10 / J+20), sometimes exactly 0 ms.
  landOn: fc.constantFrom<LandOn>(null, null, null, 'reminder', 'expiry-1ms', 'expiry'),
  gapMs: fc.oneof(
    fc.constant(0),
    fc.integer({ min: 1, max: 3_600_000 }),
    fc.integer({ min: DAY, max: 12 * DAY }),
  ),
});

const ACTION_OF: Partial<Record<Step['kind'], DossierAction>> = {
  request: 'demander_modification',
  edit: 'modifier',
  add: 'ajouter_piece',
  remove: 'supprimer_piece',
  submit: 'confirmer',
  decline: 'ne_pas_modifier',
  validate: 'valider',
};

const toCommand = (step: Step, state: DossierState, at: string, i: number): DossierCommand => {
  const version = state.openRound?.version ?? 'M1';
  switch (step.kind) {
    case 'request':
      return command(
        'RequestModification',
        { numeroAsp, commentaire: `tour ${i}`, reminderAfter: 'P10D', expiryAfter: 'P20D' },
        ACTORS.gestionnaire,
        at,
      );
    case 'edit':
      return command(
        'EditModificationDraft',
        { numeroAsp, fields: { contactSupport: `contact${i}-${step.n}@garage.fr` } },
        ACTORS.poulat,
        at,
      );
    case 'add':
      return command(
        'AddPiece',
        { numeroAsp, piece: piece(`p${i}-${step.n}`, 'AUTRE_S', `p${i}.pdf`) },
        ACTORS.poulat,
        at,
      );
    case 'remove':
      return command(
        'RemovePiece',
        { numeroAsp, pieceId: state.openRound?.piecesAdded[0]?.pieceId ?? 'absente' },
        ACTORS.poulat,
        at,
      );
    case 'submit':
      return command('SubmitModification', { numeroAsp }, ACTORS.poulat, at);
    case 'decline':
      return command('DeclineModification', { numeroAsp }, ACTORS.poulat, at);
    case 'validate':
      return validateSolde(numeroAsp, at);
    case 'reminder':
      return command('SendModificationReminder', { numeroAsp, version }, ACTORS.scheduler, at);
    case 'expiry':
      return command('ExpireModification', { numeroAsp, version }, ACTORS.scheduler, at);
    case 'reimport':
      return importSoldePoulat({}, ACTORS.poulat, at);
  }
};

const DRAFT_KINDS = new Set<Step['kind']>(['edit', 'add', 'remove', 'submit', 'decline']);
const TIMER_KINDS = new Set<Step['kind']>(['reminder', 'expiry']);

interface Run {
  stream: DossierEvent[];
  snapshots: Array<{ length: number; state: DossierState; copy: string }>;
}

/** Plays the steps, checking the per-step properties; returns the stream and the states met. */
const play = (steps: Timed[]): Run => {
  const stream: DossierEvent[] = [...POULAT_SOLDE_EN_COURS];
  let state = foldDossier(stream);
  const snapshots: Run['snapshots'] = [];
  let now = START;
  steps.forEach(({ step, gapMs, landOn }, i) => {
    now += gapMs;
    const round = state.openRound;
    if (landOn !== null && round !== null) {
      const target =
        landOn === 'reminder'
          ? Date.parse(round.reminderDueAt)
          : Date.parse(round.expiresAt) - (landOn === 'expiry-1ms' ? 1 : 0);
      now = Math.max(now, target);
    }
    const at = new Date(now).toISOString();
    const cmd = toCommand(step, state, at, i);
    const before = JSON.stringify(state);
    const result = decider.decide(cmd, state);
    // decide never touches the state it is given.
    expect(JSON.stringify(state)).toBe(before);

    const action = ACTION_OF[step.kind];
    if (action !== undefined) {
      const role = cmd.actor.role;
      const offered = allowedActions(state, role, at).includes(action);
      // The buttons offered and the decisions taken follow one rule.
      expect({ action, at, offered, accepted: result.ok }).toEqual({
        action,
        at,
        offered,
        accepted: offered,
      });
    }

    if (DRAFT_KINDS.has(step.kind) && state.statut === 'A_MODIFIER' && state.openRound !== null) {
      const expired = now >= Date.parse(state.openRound.expiresAt);
      // MOD-4: refused MODIFICATION_EXPIREE exactly from the J+20 instant on.
      expect({ expired, code: result.ok ? null : result.error.code === 'MODIFICATION_EXPIREE' }).toEqual({
        expired,
        code: expired ? true : result.ok ? null : false,
      });
    }

    if (!result.ok) {
      expect(result.error.message).not.toBe('');
      return;
    }
    const events = result.value;
    const next = events.reduce(decider.evolve, state);
    // A timer or an import that was just applied, replayed at the same instant, decides nothing.
    if ((TIMER_KINDS.has(step.kind) || step.kind === 'reimport') && events.length > 0) {
      expect(decider.decide(cmd, next)).toEqual({ ok: true, value: [] });
    }
    stream.push(...events);
    state = next;
    snapshots.push({ length: stream.length, state, copy: JSON.stringify(state) });
  });
  return { stream, snapshots };
};

describe('dossier decider properties (fast-check)', () => {
  it('allowedActions agrees with decide, refusals leave the state alone, J+20 is exact, replays decide []', () => {
    expect.hasAssertions();
    fc.assert(
      fc.property(fc.array(stepArb, { minLength: 1, maxLength: 25 }), (steps) => {
        play(steps);
      }),
      { numRuns: RUNS },
    );
  });

  it('folding the stream gives the state met step by step, and evolve never changes an earlier state', () => {
    expect.hasAssertions();
    fc.assert(
      fc.property(fc.array(stepArb, { minLength: 1, maxLength: 25 }), (steps) => {
        const { stream, snapshots } = play(steps);
        for (const s of snapshots) {
          expect(JSON.stringify(s.state)).toBe(s.copy);
          expect(foldDossier(stream.slice(0, s.length))).toEqual(s.state);
        }
        expect(foldDossier(stream)).toEqual(snapshots.at(-1)?.state ?? foldDossier(POULAT_SOLDE_EN_COURS));
      }),
      { numRuns: RUNS },
    );
  });
});
