// The node:test command line every tier runs with, shared by scripts/test.mjs and the test that
// checks the summary it produces (test/unit/reporter/summary.test.ts).
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const scripts = path.dirname(fileURLToPath(import.meta.url));

export function nodeTestArgs({ concurrency, files }) {
  return [
    '--import', 'tsx',
    '--import', path.join(scripts, 'skipped-suites.mjs'),
    '--test',
    `--test-concurrency=${concurrency}`,
    '--test-reporter', path.join(scripts, 'reporter.mjs'),
    '--test-reporter-destination', 'stdout',
    ...files,
  ];
}
