// Nest 12 packages are ESM-only: CommonJS Jest can load them only once swc transforms them too
// (see docs/operations.md, "Toolchain"). ts-jest leaves `import.meta` behind, so swc it is.
const swc = [
  '@swc/jest',
  {
    module: { type: 'commonjs' },
    jsc: {
      target: 'es2022',
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
      keepClassNames: true,
    },
  },
];
const esmOnly = ['@nestjs', 'uuid', 'jose'].join('|');
const moduleNameMapper = {
  '^@segur/(.*)$': '<rootDir>/libs/$1/src/index.ts',
};
const common = {
  rootDir: __dirname,
  transform: { '^.+\\.(t|j|mj)s$': swc },
  transformIgnorePatterns: [`/node_modules/(?!(${esmOnly})/)`],
  moduleNameMapper,
  testEnvironment: 'node',
  setupFiles: ['<rootDir>/test/setup/env.ts'],
  // Stryker's sandbox copies the repository there while it runs.
  modulePathIgnorePatterns: ['<rootDir>/.stryker-tmp/'],
};

module.exports = {
  // Global only (Jest ignores it per project). Opening PGlite takes seconds on a loaded 2-core
  // machine; timings are never asserted, this only bounds a hung test.
  testTimeout: 60_000,
  // A library handle left open by a test (a pool's idle timer, a socket in TIME_WAIT) must not
  // keep CI waiting forever after every result is in. Teardown still closes what we open.
  forceExit: true,
  reporters: ['default', '<rootDir>/test/setup/skip-reporter.js'],
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/libs/**/*.spec.ts', '<rootDir>/apps/**/*.spec.ts'],
      testPathIgnorePatterns: ['\\.int\\.spec\\.ts$', '\\.esdb\\.spec\\.ts$', '/node_modules/'],
    },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/libs/**/*.int.spec.ts', '<rootDir>/apps/**/*.int.spec.ts'],
    },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/**/*.e2e.spec.ts'],
    },
    {
      ...common,
      displayName: 'eventstoredb',
      testMatch: ['<rootDir>/libs/**/*.esdb.spec.ts'],
    },
  ],
};
