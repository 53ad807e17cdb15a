// node:test reporter for our tiers: one line per test, skip reasons printed, and a final
// machine-readable SUMMARY line that scripts/test.mjs adds up across tiers.
export default async function* reporter(source) {
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  const failures = [];
  for await (const event of source) {
    const { type, data } = event;
    if (type === 'test:diagnostic') {
      if (!/^(tests|suites|pass|fail|cancelled|skipped|todo|duration_ms) /.test(data.message)) {
        yield `  # ${data.message}\n`;
      }
      continue;
    }
    if (type === 'test:stderr' || type === 'test:stdout') {
      yield data.message ?? '';
      continue;
    }
    if (type !== 'test:pass' && type !== 'test:fail') continue;
    if (data.details?.type === 'suite') {
      // A skipped suite reaches here only when scripts/skipped-suites.mjs could not list its
      // tests (an async body, or a run without that preload): count it once, never as nothing.
      if (data.skip !== undefined) {
        skipped++;
        yield `${'  '.repeat(data.nesting + 1)}SKIP ${data.name} (whole suite; its tests are not listed): ${typeof data.skip === 'string' ? data.skip : 'no reason given'}\n`;
        continue;
      }
      if (type === 'test:fail' && data.details?.error?.failureType !== 'subtestsFailed') {
        failed++;
        failures.push({ name: data.name, file: data.file, error: data.details.error });
        yield `  FAIL ${data.name} (suite hook)\n`;
      }
      continue;
    }
    const indent = '  '.repeat(data.nesting + 1);
    const ms = data.details?.duration_ms ? ` (${Math.round(data.details.duration_ms)} ms)` : '';
    if (data.skip !== undefined || data.todo !== undefined) {
      skipped++;
      const why = data.skip ?? data.todo;
      yield `${indent}SKIP ${data.name}: ${typeof why === 'string' ? why : 'no reason given'}\n`;
    } else if (type === 'test:pass') {
      passed++;
      yield `${indent}ok   ${data.name}${ms}\n`;
    } else {
      failed++;
      failures.push({ name: data.name, file: data.file, error: data.details?.error });
      yield `${indent}FAIL ${data.name}${ms}\n`;
    }
  }
  for (const f of failures) {
    const err = f.error?.cause ?? f.error;
    yield `\n--- failure: ${f.name}${f.file ? ` [${f.file}]` : ''}\n${err?.stack ?? err?.message ?? String(err)}\n`;
  }
  yield `SUMMARY ${JSON.stringify({ passed, failed, skipped })}\n`;
}
