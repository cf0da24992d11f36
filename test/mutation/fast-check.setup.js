// Under mutation a property only has to fail: shrinking the counterexample of every mutant it kills
// (the first failure is enough for Stryker) made the run many times longer.
const fc = require('fast-check');

fc.configureGlobal({ endOnFailure: true });
