#!/usr/bin/env node
// `npm run cli -- …` / `npm run token -- …`: builds the CLI when its output is missing or older
// than the sources, then runs it with the given arguments. package.json starts it with
// --max-semi-space-size=64 (V8's young generation, 16 MB per semi-space by default): a rebuild
// allocates ~10 kB per event and keeps every state it folds for thousands of events, so a small
// young generation copies most of it at every scavenge (1M-event rebuild: scavenges ~8 → ~6 s of
// CPU, peak RSS +~60 MB). Run without npm (e.g. `node dist/apps/cli/src/main.js rebuild all` in the
// image), give it the same flag (NODE_OPTIONS=--max-semi-space-size=64).
const { execFileSync } = require('node:child_process');
const { existsSync, statSync, readdirSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const entry = join(root, 'dist/apps/cli/src/main.js');

const newest = (dir) => {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) t = Math.max(t, newest(p));
    else if (e.name.endsWith('.ts')) t = Math.max(t, statSync(p).mtimeMs);
  }
  return t;
};

if (
  !existsSync(entry) ||
  statSync(entry).mtimeMs < Math.max(newest(join(root, 'apps')), newest(join(root, 'libs')))
) {
  execFileSync(process.execPath, [join(root, 'node_modules/@nestjs/cli/bin/nest.js'), 'build', 'cli'], {
    cwd: root,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
}
require(entry);
