import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, test } from 'node:test';
import type { DoctorReport } from '../../../engine/api';
import { blockSpec, formatRun, inlineSummary, planLevels, workerModule } from '../../../extension/commands/runBlockPlan';
import type { RunBlockArgs } from '../../../language-server/protocol';

const sh: RunBlockArgs = { uri: 'file:///ws/n.md', line: 4, language: 'sh', code: 'echo hi\n', levels: 'all' };

const doctor = {
  levels: [
    { isolation: 'isolate', runtime: 'workerd', support: { ok: true } },
    { isolation: 'container', runtime: 'runc', support: { ok: true } },
    { isolation: 'gvisor', runtime: 'runsc', support: { ok: true } },
    { isolation: 'microvm', runtime: 'qemu', support: { ok: false, reason: 'qemu-system-x86_64 not found', fix: 'apt-get install qemu-system-x86' } },
    { isolation: 'vm', runtime: 'qemu', support: { ok: true } },
  ],
  checks: [],
  facts: {},
} as unknown as DoctorReport;

describe('live block plan', () => {
  test('across the spectrum: sh skips the isolate and unsupported levels, each with its reason', () => {
    const plan = planLevels(sh, doctor);
    assert.deepEqual(plan.map((p) => p.level), ['isolate', 'container', 'gvisor', 'microvm', 'vm']);
    assert.match(plan[0].skip!, /no shell/);
    assert.equal(plan[1].skip, undefined);
    assert.match(plan[3].skip!, /not supported on this host: qemu-system-x86_64 not found \(fix: apt-get install/);
    const js = planLevels({ ...sh, language: 'js' }, doctor);
    assert.deepEqual(js.filter((p) => !p.skip).map((p) => p.level), ['isolate']);
    assert.match(planLevels({ ...sh, levels: ['cloud'] })[0].skip!, /unknown level/);
  });

  test('sh specs run /bin/sh -c in busybox with no network; isolates get the worker path', () => {
    const s = blockSpec(sh, 'gvisor', { sourceFile: '/ws/n.md' });
    assert.deepEqual(s.command, ['/bin/sh', '-c', 'echo hi\n']);
    assert.equal(s.image, 'busybox');
    assert.equal(s.network, 'none');
    assert.equal(s.name, 'note-block-5');
    const w = blockSpec({ ...sh, language: 'js' }, 'isolate', { sourceFile: '/ws/n.md', workerPath: '/tmp/b.mjs' });
    assert.equal(w.worker, '/tmp/b.mjs');
    assert.equal(w.command, undefined);
    assert.equal(inlineSummary('vm', { exitCode: 3, output: '\nfirst\nsecond\n', durationMs: 2600.4, id: 'y' }), 'vm: exit 3, 2600 ms "first"');
    assert.match(formatRun('gvisor', { exitCode: 0, output: 'hi', durationMs: 151.2, id: 'x' }), /^── gvisor: exit 0 in 151 ms\nhi\n$/);
  });

  test('a js block becomes a Worker whose response carries console output and errors', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'notes-worker-'));
    try {
      const ok = path.join(dir, 'ok.mjs');
      await writeFile(ok, workerModule('console.log("sum", 1 + 2, { a: 1 });\nconsole.error("warned");'));
      const r1 = await (await import(pathToFileURL(ok).href)).default.fetch();
      assert.equal(r1.status, 200);
      assert.equal(await r1.text(), 'sum 3 {"a":1}\nwarned\n');
      const bad = path.join(dir, 'bad.mjs');
      await writeFile(bad, workerModule('console.log("before");\nthrow new TypeError("boom");'));
      const r2 = await (await import(pathToFileURL(bad).href)).default.fetch();
      assert.equal(r2.status, 500);
      const body = await r2.text();
      assert.match(body, /^before\nUncaught TypeError: boom/);
      assert.match(body, /bad\.mjs:3:/, 'block line 2 is module line 3');
      assert.equal(workerModule('export default { fetch() {} }'), 'export default { fetch() {} }');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
