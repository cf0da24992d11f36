#!/usr/bin/env node
// Re-checks, one by one, the mutants a Stryker run left alive (Survived / NoCoverage) in one source
// file, against the specs as they are now: writes the mutant into the file, runs the related unit
// specs, restores the file. Minutes for a file's survivors where a Stryker run re-tests hundreds of
// mutants; the score itself still comes from Stryker (docs/testing.md).
//
//   node scripts/mutation-recheck.js <file> [--report <incremental or mutation json>] [--lines 11,13] [--list]
const { readFileSync, writeFileSync } = require('node:fs');
const { spawnSync } = require('node:child_process');

const args = process.argv.slice(2);
const option = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const file = args[0];
if (!file || file.startsWith('--')) {
  console.error('usage: node scripts/mutation-recheck.js <file> [--report <json>] [--lines 11,13] [--list]');
  process.exit(2);
}
const reportPath = option('--report') ?? 'test/mutation/stryker-incremental.json';
const lines = option('--lines')?.split(',').map(Number);
const report = JSON.parse(readFileSync(reportPath, 'utf8'));
const entry = report.files[file];
if (!entry) {
  console.error(`${file} n'est pas dans ${reportPath}`);
  process.exit(2);
}
const original = readFileSync(file, 'utf8');
// Locations are only valid on the source the run mutated.
if (original !== entry.source) {
  console.error(`${file} a changé depuis le rapport ${reportPath} : relancez Stryker sur ce fichier.`);
  process.exit(2);
}
const lineStarts = [0];
for (const l of original.split('\n')) lineStarts.push(lineStarts.at(-1) + l.length + 1);
const offset = (p) => lineStarts[p.line - 1] + p.column - 1; // Stryker: line and column from 1

const restore = () => writeFileSync(file, original);
process.on('SIGINT', () => {
  restore();
  process.exit(130);
});

const alive = entry.mutants
  .filter((m) => m.status === 'Survived' || m.status === 'NoCoverage')
  .filter((m) => !lines || lines.includes(m.location.start.line))
  .sort(
    (a, b) =>
      a.location.start.line - b.location.start.line || a.location.start.column - b.location.start.column,
  );

let killed = 0;
try {
  for (const m of alive) {
    const [from, to] = [offset(m.location.start), offset(m.location.end)];
    const what = `L${m.location.start.line}:${m.location.start.column} ${m.mutatorName}: ${JSON.stringify(original.slice(from, to)).slice(0, 90)} → ${JSON.stringify(m.replacement ?? '').slice(0, 90)}`;
    if (args.includes('--list')) {
      console.log(what);
      continue;
    }
    // Stryker mutates the syntax tree; in text, an operator's replacement needs its own brackets
    // (`a && b && c` with the first `&&` made `||` is `(a || b) && c`).
    const bracketed = ['LogicalOperator', 'EqualityOperator', 'ArithmeticOperator'].includes(m.mutatorName);
    const replacement = bracketed ? `(${m.replacement})` : (m.replacement ?? '');
    writeFileSync(file, original.slice(0, from) + replacement + original.slice(to));
    const run = spawnSync(
      'npx',
      [
        'jest',
        '-c',
        'test/mutation/jest.config.js',
        '--findRelatedTests',
        file,
        '--bail',
        '--silent',
        '--ci',
      ],
      { stdio: 'ignore', timeout: 180_000 },
    );
    restore();
    const dead = run.status !== 0;
    if (dead) killed += 1;
    console.log(`${dead ? 'KILLED  ' : 'SURVIVED'} ${what}`);
  }
} finally {
  restore();
}
if (!args.includes('--list')) console.log(`${killed} tués, ${alive.length - killed} survivants`);
