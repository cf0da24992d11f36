// Mutation testing of the rules (libs/domain) and of the import format (libs/import-format, where
// the import validation lives). See docs/testing.md. Too slow for every CI run: nightly-style, or
// `npm run test:mutation:changed` for the files a branch touches.
const notCode = ['!**/*.spec.ts', '!**/testing/**', '!**/index.ts'];

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: 'npm',
  testRunner: 'jest',
  // Related tests only: Jest then loads the spec files that import the mutated file instead of all
  // of them for every mutant (the first complete run, without it, took 94 minutes).
  jest: { configFile: 'test/mutation/jest.config.js', enableFindRelatedTests: true },
  testRunnerNodeArgs: ['--experimental-vm-modules', '--disable-warning=ExperimentalWarning'],
  checkers: ['typescript'],
  tsconfigFile: 'tsconfig.mutation.json',
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  coverageAnalysis: 'perTest',
  // A static mutant (a module-level constant) needs every test: minutes each on a loaded machine.
  ignoreStatic: true,
  mutate: ['libs/domain/src/**/*.ts', 'libs/import-format/src/**/*.ts', ...notCode],
  ignorePatterns: ['dist', 'reports', 'docker', 'bench', '.ci'],
  reporters: ['html', 'json', 'clear-text', 'progress'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  // Committed: the next run with --incremental re-tests only what changed (docs/testing.md).
  incrementalFile: 'test/mutation/stryker-incremental.json',
  concurrency: 2,
  timeoutMS: 10_000,
  thresholds: { high: 90, low: 80, break: null },
  tempDirName: '.stryker-tmp',
};
