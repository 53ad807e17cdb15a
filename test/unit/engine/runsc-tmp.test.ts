// runsc's temp folder must be reachable by its unprivileged sandbox process: every parent
// searchable by others, else a shared sticky /tmp, else a clear error naming the blocker.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { closedParent, runscTempDir } from '../../../engine/drivers/runsc-tmp';
import { EngineError } from '../../../engine/errors';

const scratch = mkdtempSync(path.join(os.tmpdir(), 'spectrum-runsc-tmp-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

/** Modes by path; unlisted paths are open (0755). */
const modes = (m: Record<string, number>) => (p: string) => m[p] ?? 0o40755;

describe('runsc temp folder', () => {
  test('finds the first parent others cannot search', () => {
    assert.equal(closedParent('/a/b/c/d', modes({ '/a/b': 0o40700 })), '/a/b');
    assert.equal(closedParent('/a/b/c/d', modes({ '/a/b/c/d': 0o40700 })), undefined, 'the folder itself may be private');
    assert.equal(closedParent('/a/b', modes({ '/a': 0o40711 })), undefined, 'search (x) without read is enough');
  });

  test('uses <runDir>/tmp when its parents are open, creating it', () => {
    const runDir = path.join(scratch, 'open', 'sb-123456');
    const got = runscTempDir(runDir, modes({}));
    assert.equal(got, path.join(runDir, 'tmp'));
    assert.ok(existsSync(got));
  });

  test('falls back to the sticky /tmp when a parent is root-only', () => {
    assert.equal(runscTempDir('/priv/run/sb-1', modes({ '/priv': 0o40700, '/tmp': 0o41777 })), '/tmp');
  });

  test('names the blocking folder and the fix when nothing is usable', () => {
    assert.throws(
      () => runscTempDir('/priv/run/sb-1', modes({ '/priv': 0o40700, '/tmp': 0o40700, '/var/tmp': 0o40700 })),
      (e: unknown) => e instanceof EngineError && /\/priv is not searchable/.test(e.message) && /chmod o\+x \/priv/.test(e.fix ?? ''),
    );
  });
});
