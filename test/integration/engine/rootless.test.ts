// Non-root users get what works rootless: runc in a user namespace and runsc --rootless, never
// sudo. Run as the unprivileged `nobody` through the real CLI (this needs root to switch users,
// which the project's test machines have).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync, readdirSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureBuilt, ROOT } from './sandbox-env';

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const skip = isRoot ? false : 'switching to the nobody user needs root';
let dir = '';

function asNobody(args: string[]) {
  const env = [`HOME=${dir}`, `XDG_STATE_HOME=${dir}/s`, `XDG_CACHE_HOME=${dir}/c`, `XDG_RUNTIME_DIR=${dir}/r`, `PATH=${process.env.PATH}`];
  return spawnSync('runuser', ['-u', 'nobody', '--', 'env', '-i', ...env, process.execPath, path.join(ROOT, 'dist', 'cli.js'), ...args], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
}

before(() => {
  if (skip) return;
  ensureBuilt();
  dir = mkdtempSync(path.join(os.tmpdir(), 'spectrum-rootless-'));
  chmodSync(dir, 0o777);
  writeFileSync(
    path.join(dir, 'r.sandbox.yaml'),
    ['container', 'gvisor'].map((i) => `name: rl-${i}\nisolation: ${i}\nimage: busybox\ncommand: [/bin/sh, -c, "echo ran-${i}; id -u; grep CapEff /proc/self/status"]\n`).join('---\n'),
  );
  chmodSync(path.join(dir, 'r.sandbox.yaml'), 0o644);
});

after(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('rootless (as nobody)', { skip }, () => {
  for (const level of ['container', 'gvisor']) {
    test(`${level} runs, root inside maps to nobody outside, no capabilities`, () => {
      const r = asNobody(['run', 'r.sandbox.yaml', '--name', `rl-${level}`]);
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, new RegExp(`ran-${level}\\n0\\n`));
      assert.match(r.stdout, /CapEff:\s+0000000000000000/);
    });
  }

  test('doctor says rootless, and nothing is left behind', () => {
    const r = asNobody(['doctor', '--json']);
    assert.equal(r.status, 0, r.stderr);
    const report = JSON.parse(r.stdout) as { levels: Array<{ isolation: string; support: { ok: boolean; reason?: string } }> };
    assert.match(report.levels.find((l) => l.isolation === 'gvisor')!.support.reason ?? '', /rootless/);
    const sandboxes = path.join(dir, 's', 'isolation-spectrum', 'sandboxes');
    assert.deepEqual(existsSync(sandboxes) ? readdirSync(sandboxes).filter((n) => !n.startsWith('.')) : [], []);
    const runtime = path.join(dir, 'r', 'isolation-spectrum');
    assert.deepEqual(existsSync(runtime) ? readdirSync(runtime) : [], []);
  });
});
