// Live note blocks through the real engine and real runtimes: an sh block under runc and gVisor,
// a js block as a Worker in workerd. What the "Run in <level>" lens does, minus the editor.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type Engine, createEngine } from '../../../engine/api';
import { blockSpec, planLevels, workerModule } from '../../../extension/commands/runBlockPlan';
import type { RunBlockArgs } from '../../../language-server/protocol';

describe('live note blocks', () => {
  let dir: string;
  let engine: Engine;
  const sh: RunBlockArgs = { uri: 'file:///notes/n.md', line: 3, language: 'sh', code: 'echo "hello from $(uname -s)"\nexit 3\n', levels: 'all' };

  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'notes-live-'));
    engine = createEngine({ env: { ...process.env, XDG_STATE_HOME: path.join(dir, 'state'), XDG_CACHE_HOME: path.join(dir, 'cache') } });
  });
  after(async () => {
    await engine.downAll();
    engine.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  test('the host report lets sh run at container and gvisor, js only at isolate', async () => {
    const plan = planLevels(sh, await engine.doctor());
    const runnable = plan.filter((p) => !p.skip).map((p) => p.level);
    assert.ok(runnable.includes('container'), JSON.stringify(plan));
    assert.ok(runnable.includes('gvisor'), JSON.stringify(plan));
    assert.ok(!runnable.includes('isolate'));
  });

  for (const level of ['container', 'gvisor'] as const) {
    test(`an sh block runs under /bin/sh at ${level}: output and exit code come back`, async () => {
      const r = await engine.run(blockSpec(sh, level, { sourceFile: path.join(dir, 'n.md') }), { timeoutMs: 60_000 });
      assert.equal(r.exitCode, 3);
      assert.equal(r.output, 'hello from Linux\n');
      assert.ok(r.durationMs > 0);
    });
  }

  test('a js block runs as a Worker in an isolate: console output and the error come back', async () => {
    const worker = path.join(dir, 'block.mjs');
    await writeFile(worker, workerModule('console.log("sum", 1 + 2);\nthrow new Error("boom");'));
    const args: RunBlockArgs = { ...sh, language: 'js', code: '' };
    const r = await engine.run(blockSpec(args, 'isolate', { sourceFile: path.join(dir, 'n.md'), workerPath: worker }), { timeoutMs: 60_000 });
    assert.equal(r.exitCode, 1);
    assert.match(r.output, /^sum 3\nUncaught Error: boom\n/);
  });
});
