// Jest as Stryker runs it: only the unit specs of the mutated libraries, one project, no reporters
// of our own. Same swc transform as the main configuration.
const main = require('../../jest.config.js');
const unit = main.projects.find((p) => p.displayName === 'unit');

module.exports = {
  ...unit,
  rootDir: `${__dirname}/../..`,
  testMatch: ['<rootDir>/libs/domain/src/**/*.spec.ts', '<rootDir>/libs/import-format/src/**/*.spec.ts'],
  setupFiles: [...(unit.setupFiles ?? []), '<rootDir>/test/mutation/fast-check.setup.js'],
};
