// The tiers' summary line, from the real node:test runner with the project's reporter and
// preload (the same command line scripts/test.mjs runs): a skipped suite counts each of its
// tests with the suite's reason, and a failure is counted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
// @ts-expect-error: a plain .mjs script without type declarations
import { nodeTestArgs } from '../../../scripts/test-args.mjs';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const FIXTURE = path.join('test', 'fixtures', 'reporter', 'summary.fixture.ts');

function runFixture(argsOf: (files: string[]) => string[]) {
  // NODE_TEST_CONTEXT would make the child a subtest of this run instead of a runner of its own.
  const { NODE_TEST_CONTEXT: _ctx, ...env } = process.env;
  const r = spawnSync(process.execPath, argsOf([FIXTURE]), { cwd: ROOT, env, encoding: 'utf8', timeout: 60_000 });
  const summary = /^SUMMARY (.*)$/m.exec(r.stdout)?.[1];
  assert.ok(summary, `no SUMMARY line:\n${r.stdout}\n${r.stderr}`);
  return { ...r, summary: JSON.parse(summary) as { passed: number; failed: number; skipped: number } };
}

test('a skipped suite of 2 tests, a failing and a passing test: 1 passed, 1 failed, 2 skipped', () => {
  const r = runFixture((files) => nodeTestArgs({ concurrency: 1, files }) as string[]);
  assert.deepEqual(r.summary, { passed: 1, failed: 1, skipped: 2 }, r.stdout);
  assert.equal(r.status, 1, 'the runner exits non-zero on the failure');
  for (const level of ['container', 'gvisor']) {
    assert.match(r.stdout, new RegExp(`SKIP ${level} inside the skipped suite: fixture reason: needs a thing this host lacks`));
  }
  assert.match(r.stdout, /FAIL a failing test/);
  assert.match(r.stdout, /fixture failure/);
  assert.doesNotMatch(r.stdout, /a skipped test must not run/);
});

test('without the preload, the skipped suite still counts (once) and prints its reason', () => {
  const r = runFixture((files) => (nodeTestArgs({ concurrency: 1, files }) as string[]).filter((a, i, all) => !a.endsWith('skipped-suites.mjs') && !(a === '--import' && all[i + 1]?.endsWith('skipped-suites.mjs'))));
  assert.deepEqual(r.summary, { passed: 1, failed: 1, skipped: 1 }, r.stdout);
  assert.match(r.stdout, /SKIP a skipped suite \(whole suite; its tests are not listed\): fixture reason/);
});
