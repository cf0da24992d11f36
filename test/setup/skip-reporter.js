// Says loudly, at the end of a run, which tests were skipped and why (the reason is in the test's
// name, e.g. "needs TEST_REDIS_URL"). `npm test` without servers skips the Redis/PostgreSQL-only
// suites; CI sets both URLs and fails on any skip (.ci/run).
class SkipReporter {
  onRunComplete(_contexts, results) {
    const skipped = [];
    for (const file of results.testResults)
      for (const t of file.testResults)
        if (t.status === 'pending' || t.status === 'todo')
          skipped.push(`${file.testFilePath.replace(process.cwd() + '/', '')} › ${t.fullName}`);
    if (skipped.length === 0) return;
    const line = '!'.repeat(78);
    process.stderr.write(
      `\n${line}\n!! ${skipped.length} test(s) IGNORÉ(S) — serveur absent (TEST_DATABASE_URL / TEST_REDIS_URL non définis) :\n` +
        skipped.map((s) => `!!   - ${s}`).join('\n') +
        `\n!! Pour tout exécuter : TEST_DATABASE_URL=postgres://… TEST_REDIS_URL=redis://… npm test\n${line}\n`,
    );
  }
}
module.exports = SkipReporter;
