// Given events / when command / then events or error, in the spirit of Emmett's
// DeciderSpecification. Test-only: it relies on Jest's global `expect`, which is why this folder
// is not re-exported from the library's index.
import { DEFAULT_COULOIRS, type CouloirsConfig } from '../couloir/couloir.config';
import type { DossierCommand } from '../dossier/dossier.commands';
import { createDossierDecider } from '../dossier/dossier.decider';
import type { DossierError, DossierErrorCode } from '../dossier/dossier.errors';
import type { DossierEvent } from '../dossier/dossier.events';
import type { DossierState } from '../dossier/dossier.state';

export interface WhenOutcome {
  /** Asserts exactly these events (none: accepted, nothing to do) and returns the state they lead to. */
  then: (...expected: DossierEvent[]) => DossierState;
  /** Asserts a refusal with this code and returns the error for further checks on its message. */
  thenFails: (code: DossierErrorCode) => DossierError;
  /** The produced events, for assertions on part of them; fails the spec on a refusal. */
  events: () => DossierEvent[];
}

export interface Given {
  when: (command: DossierCommand) => WhenOutcome;
  /** The state the given events lead to. */
  state: () => DossierState;
}

const describeEvents = (events: readonly DossierEvent[]): string =>
  events.map((e) => e.type).join(', ') || '[]';

export const deciderSpecification = (couloirs: CouloirsConfig = DEFAULT_COULOIRS) => {
  const decider = createDossierDecider(couloirs);
  const given = (...history: DossierEvent[]): Given => {
    const state = (): DossierState => history.reduce(decider.evolve, decider.initialState());
    return {
      state,
      when: (command) => {
        const before = state();
        const result = decider.decide(command, before);
        const accepted = (): DossierEvent[] => {
          if (!result.ok) {
            throw new Error(`${command.type} refused: ${result.error.code} (${result.error.message})`);
          }
          return result.value;
        };
        return {
          events: accepted,
          then: (...expected) => {
            const events = accepted();
            expect(events).toEqual(expected);
            return events.reduce(decider.evolve, before);
          },
          thenFails: (code) => {
            if (result.ok) {
              throw new Error(
                `${command.type} expected to fail with ${code}, got ${describeEvents(result.value)}`,
              );
            }
            expect(result.error.code).toBe(code);
            expect(result.error.message).not.toBe('');
            return result.error;
          },
        };
      },
    };
  };
  return { given, decider };
};

export const { given } = deciderSpecification();
