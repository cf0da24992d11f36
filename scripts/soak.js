#!/usr/bin/env node
// `npm run soak -- --minutes 30`: the fault suite's load and faults for longer, sampled every 10 s
// into a CSV and an HTML chart (see docs/testing.md, "Soak run"). Outside CI; TypeScript compiled
// on require as for `npm run bench`.
const path = require('node:path');

require('./register-ts');

require(path.join(__dirname, '..', 'bench', 'soak', 'soak.ts'))
  .main(process.argv.slice(2))
  .then((code) => process.exit(code))
  .catch((error) => {
    console.error(error);
    process.exit(1);
  });
