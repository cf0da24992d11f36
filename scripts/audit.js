#!/usr/bin/env node
// CI step: `npm audit --omit=dev`, failing on a high or critical finding in production
// dependencies. Some registries (a mirror, a proxy) answer the audit endpoint with 405 or do not
// answer at all: then the audit did not run, which is reported loudly but does not fail the build —
// a missing audit is not a finding. `--from FILE` judges a saved `npm audit --json` output instead
// (tests, or an audit run elsewhere).
const { spawnSync } = require('node:child_process');
const { readFileSync } = require('node:fs');

const FAILING = ['high', 'critical'];

/** @returns {{ code: number, message: string }} */
const judge = (text) => {
  let report;
  try {
    report = JSON.parse(text);
  } catch {
    return { code: 0, message: 'audit npm indisponible : réponse illisible, audit non effectué' };
  }
  const counts = report && report.metadata && report.metadata.vulnerabilities;
  if (!counts) {
    const why =
      (report && (report.message || (report.error && report.error.summary))) || 'réponse sans résultat';
    return { code: 0, message: `audit npm indisponible (${why}) : audit non effectué` };
  }
  const failing = FAILING.reduce((n, level) => n + (counts[level] || 0), 0);
  const summary = Object.entries(counts)
    .filter(([level]) => level !== 'total')
    .map(([level, n]) => `${level}=${n}`)
    .join(' ');
  if (failing > 0) {
    const names = Object.values(report.vulnerabilities || {})
      .filter((v) => FAILING.includes(v.severity))
      .map((v) => `${v.name} (${v.severity})`);
    return {
      code: 1,
      message: `audit npm : ${failing} vulnérabilité(s) haute(s) ou critique(s) : ${names.join(', ')} [${summary}]`,
    };
  }
  return { code: 0, message: `audit npm : aucune vulnérabilité haute ou critique [${summary}]` };
};

const fromIndex = process.argv.indexOf('--from');
const text =
  fromIndex > 0
    ? readFileSync(process.argv[fromIndex + 1], 'utf8')
    : spawnSync('npm', ['audit', '--omit=dev', '--json'], { encoding: 'utf8', timeout: 120_000 }).stdout ||
      '';
const verdict = judge(text);
(verdict.code === 0 ? console.log : console.error)(verdict.message);
process.exit(verdict.code);
