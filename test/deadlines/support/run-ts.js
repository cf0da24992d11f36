// Runs a TypeScript entry point in a child process of a test: `node run-ts.js <file.ts>`, with the
// same on-require compilation and `@segur/<lib>` aliases as `npm run bench` (scripts/register-ts.js).
const path = require('node:path');

require('../../../scripts/register-ts');

require(path.resolve(process.argv[2]));
