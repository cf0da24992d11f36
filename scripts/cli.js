#!/usr/bin/env node
// `npm run cli -- …` / `npm run token -- …`: builds the CLI when its output is missing or older
// than the sources, then runs it with the given arguments.
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
