// gVisor under a root-only temp folder: runsc's sandbox process runs as an unprivileged user and
// dies ("cannot read client sync file: EOF") when it cannot walk the path of its temp folder.
// The engine must hand runsc a temp folder it can reach even when TMPDIR and XDG_RUNTIME_DIR
// both sit under a 0700 folder (as a per-run private TMPDIR does).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createEngine, type Engine } from '../../../engine/api';
import { ensureBuilt, ROOT } from './sandbox-env';

let root = '';
let engine: Engine;

before(() => {
  ensureBuilt();
  root = mkdtempSync(path.join(os.tmpdir(), 'spectrum-private-'));
  chmodSync(root, 0o700);
  for (const d of ['tmp', 'run']) mkdirSync(path.join(root, d));
  engine = createEngine({
    env: {
      ...process.env,
      TMPDIR: path.join(root, 'tmp'),
      XDG_RUNTIME_DIR: path.join(root, 'run'),
      XDG_STATE_HOME: path.join(root, 'state'),
      XDG_CACHE_HOME: path.join(root, 'cache'),
      SPECTRUM_MONITOR_SCRIPT: path.join(ROOT, 'dist', 'monitor.js'),
    },
    prewarm: false,
  });
});

after(async () => {
  try {
    await engine?.downAll();
  } finally {
    engine?.dispose();
    if (root) rmSync(root, { recursive: true, force: true });
  }
});

describe('gvisor with TMPDIR and XDG_RUNTIME_DIR under a 0700 folder', () => {
  test('runs a command and leaves nothing in the runtime folder', async () => {
    assert.equal(statSync(root).mode & 0o777, 0o700, 'the test folder must be root-only');
    const specs = await engine.specs(writeSpec());
    const r = await engine.run(specs[0], { timeoutMs: 30_000 });
    assert.equal(r.exitCode, 0, r.output);
    assert.match(r.output, /private-ok/);
    const runtime = path.join(root, 'run', 'isolation-spectrum');
    assert.deepEqual(existsSync(runtime) ? readdirSync(runtime) : [], []);
  });
});

function writeSpec(): string {
  const file = path.join(root, 'p.sandbox.yaml');
  const text = 'name: private\nisolation: gvisor\nimage: busybox\ncommand: [/bin/sh, -c, "echo private-ok"]\n';
  writeFileSync(file, text);
  return file;
}
