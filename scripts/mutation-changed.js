#!/usr/bin/env node
// Incremental mutation testing: only the source files of the mutated libraries that this branch
// changed against main (override with MUTATION_BASE), with Stryker's incremental file so mutants
// already judged on unchanged code and tests are not run again.
const { execFileSync, spawnSync } = require('node:child_process');

const base = process.env.MUTATION_BASE ?? 'main';
const mergeBase = execFileSync('git', ['merge-base', base, 'HEAD'], { encoding: 'utf8' }).trim();
const changed = execFileSync('git', ['diff', '--name-only', '--diff-filter=AMR', mergeBase], {
  encoding: 'utf8',
})
  .split('\n')
  .filter((f) => /^libs\/(domain|import-format)\/src\/.*\.ts$/.test(f))
  .filter((f) => !/\.spec\.ts$|\/testing\/|\/index\.ts$/.test(f));

if (changed.length === 0) {
  console.log(`Aucun fichier de libs/domain ou libs/import-format modifié depuis ${base} : rien à muter.`);
  process.exit(0);
}
console.log(
  `Mutation de ${changed.length} fichier(s) modifié(s) depuis ${base} :\n  ${changed.join('\n  ')}`,
);
const r = spawnSync(
  'npx',
  ['stryker', 'run', '--incremental', '--mutate', changed.join(','), ...process.argv.slice(2)],
  {
    stdio: 'inherit',
  },
);
process.exit(r.status ?? 1);
