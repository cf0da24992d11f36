// Loads TypeScript on require, without a build step: each .ts file is compiled by @swc/core with the
// same options as jest.config.js (legacy decorators and metadata), and `@segur/<lib>` resolves to
// libs/<lib>/src/index.ts as in tsconfig.json. Used by `npm run bench` and by the child processes
// of e2e tests (test/deadlines/support/run-ts.js). `require` it once, then require the .ts entry.
const Module = require('node:module');
const path = require('node:path');
const { transformFileSync } = require('@swc/core');

const root = path.resolve(__dirname, '..');
const swcOptions = {
  // Real dynamic import() stays, so ESM-only peers (the Emmett reference) load natively.
  module: { type: 'commonjs', ignoreDynamic: true },
  jsc: {
    target: 'es2022',
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
    keepClassNames: true,
  },
  sourceMaps: 'inline',
};

Module._extensions['.ts'] = (module, filename) => {
  const { code } = transformFileSync(filename, { ...swcOptions, filename });
  module._compile(code, filename);
};

const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  const alias = /^@segur\/([a-z-]+)$/.exec(request);
  const target = alias ? path.join(root, 'libs', alias[1], 'src', 'index.ts') : request;
  return resolve.call(this, target, ...rest);
};
