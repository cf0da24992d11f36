// Runs a TypeScript entry point in a child process of a bench scenario: `node run-ts.js <file.ts>`,
// with the on-require compilation and `@segur/<lib>` aliases of `npm run bench` (scripts/register-ts.js).
const path = require('node:path');

require('../../scripts/register-ts');

require(path.resolve(process.argv[2]));
