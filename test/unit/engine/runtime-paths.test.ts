// Issue 12 item 8: the `runtimePaths.*` settings take effect. They reach the engine as its own
// environment (extension/engineEnv.ts); the host probe must resolve binaries from that
// environment, not from the process's PATH (the extension host's), and a configured binary may
// have any name.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createEngine } from '../../../engine/api';
import { engineEnv } from '../../../extension/engineEnv';
import { defaultConfig } from '../extension/defaults';
import { privateEngineEnv } from '../../helpers/engine-env';

let dir: string;

function fake(file: string, text: string): string {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `#!/bin/sh\necho '${text}'\n`);
  chmodSync(file, 0o755);
  return file;
}

describe('runtimePaths settings reach the host probe', () => {
  before(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'spectrum-rtpaths-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('configured runc and runsc are the ones reported, though not on the process PATH', async () => {
    const runc = fake(path.join(dir, 'opt', 'runtimes', 'my-runc'), 'runc version 9.8.7-configured');
    const runsc = fake(path.join(dir, 'opt', 'gvisor', 'runsc-nightly'), 'runsc version release-20991231.0');
    assert.ok(!(process.env.PATH ?? '').split(':').includes(path.dirname(runc)));
    const c = defaultConfig();
    c.runtimePaths.runc = runc;
    c.runtimePaths.runsc = runsc;
    const env = engineEnv(c, privateEngineEnv(dir));
    const engine = createEngine({ env });
    try {
      const h = await engine.host();
      assert.deepEqual(h.binaries.runc, { path: runc, version: '9.8.7-configured' });
      assert.deepEqual(h.binaries.runsc?.path, runsc);
      const report = await engine.doctor();
      const container = report.levels.find((l) => l.isolation === 'container' && l.runtime === 'runc');
      assert.equal(container?.path, runc);
      assert.equal(container?.version, '9.8.7-configured');
    } finally {
      engine.dispose();
    }
  });

  test('a configured path that is not an executable is reported missing, not replaced by PATH', async () => {
    const c = defaultConfig();
    c.runtimePaths.runc = path.join(dir, 'nowhere', 'runc');
    const engine = createEngine({ env: engineEnv(c, privateEngineEnv(dir)) });
    try {
      const h = await engine.host();
      assert.equal(h.binaries.runc, undefined);
      const report = await engine.doctor();
      assert.equal(report.levels.find((l) => l.runtime === 'runc')?.support.ok, false);
    } finally {
      engine.dispose();
    }
  });
});
