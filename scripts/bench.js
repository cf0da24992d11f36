#!/usr/bin/env node
// `npm run bench [-- --quick] [-- --only <name>]`: runs bench/run.ts without a build step (see
// register-ts.js: TypeScript compiled on require, `@segur/<lib>` aliases). package.json starts it
// with the worker's V8 flag (--max-semi-space-size=64, see `start:worker`): the deadlines scenarios
// run the scheduler in this process; the API and the rebuild run in child processes with their own.
const path = require('node:path');

require('./register-ts');

require(path.join(__dirname, '..', 'bench', 'run.ts'))
  .main(process.argv.slice(2))
  .then((code) => process.exit(code))
  .catch((error) => {
    console.error(error);
    process.exit(1);
  });
