import type { Scenario } from '../lib/scenario';
import { appendBatch } from './append-batch';
import { appendSingle } from './append-single';
import { catchUp } from './catch-up';
import { commandsHttp } from './commands-http';
import { deadlinesBurst } from './deadlines-burst';
import { deadlinesSteady } from './deadlines-steady';
import { importSolde, importSoldeChainOff } from './import-solde';
import { projectionLag } from './projection-lag';
import { readSuivi } from './read-suivi';
import { rebuild } from './rebuild';
import { replay } from './replay';

// Add a scenario: write bench/scenarios/<name>.ts exporting a `Scenario`, then list it here.
export const scenarios: readonly Scenario[] = [
  appendSingle,
  appendBatch,
  catchUp,
  importSolde,
  importSoldeChainOff,
  rebuild,
  replay,
  projectionLag,
  readSuivi,
  commandsHttp,
  deadlinesBurst,
  deadlinesSteady,
];
