// Runs a TypeScript entry point in a child process of a test, compiled on require by @swc/core
// with jest's options (legacy decorators and metadata), `@segur/<lib>` resolving to
// libs/<lib>/src/index.ts: the same hook as scripts/bench.js, for `node run-ts.js <file.ts>`.
const Module = require('node:module');
const path = require('node:path');
const { transformFileSync } = require('@swc/core');

const root = path.resolve(__dirname, '..', '..', '..');
const swcOptions = {
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

require(path.resolve(process.argv[2]));
