// Compare Across Spectrum for real: one busybox workload on runc and runsc, one JS worker as an
// isolate; every run measured, the levels it cannot run at skipped with the reason, cancellation.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sandboxWorld, emptyLeftovers, type SandboxWorld } from '../engine/sandbox-env';
import type { CompareProgress } from '../../../engine/compare/types';

let world: SandboxWorld;

before(() => {
  world = sandboxWorld();
});

after(async () => {
  await world?.close();
});

async function clean(): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (JSON.stringify(world.leftovers()) === JSON.stringify(emptyLeftovers())) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.deepEqual(world.leftovers(), emptyLeftovers());
}

describe('compare across the spectrum', () => {
  test('a command on container and gVisor: first output, peak memory, run time for each', { timeout: 120_000 }, async () => {
    const file = world.write('w.sandbox.yaml', 'name: w\nisolation: container\nimage: busybox\ncommand: [/bin/sh, -c, "echo start; i=0; while [ $i -lt 20000 ]; do i=$((i+1)); done; echo end"]\ntimeout: 60s\n');
    const [spec] = await world.engine.specs(file);
    const progress: CompareProgress[] = [];
    const r = await world.engine.compare(spec, { levels: ['isolate', 'container', 'gvisor'], onProgress: (p) => progress.push(p) });
    assert.deepEqual(r.levels.map((l) => l.isolation), ['isolate', 'container', 'gvisor']);
    assert.match(r.levels[0].skipped ?? '', /not a JS\/Wasm worker/);
    for (const l of r.levels.slice(1)) {
      assert.equal(l.error, undefined, `${l.isolation}: ${l.error}`);
      assert.equal(l.exitCode, 0);
      assert.ok(l.firstOutputMs! > 0 && l.firstOutputMs! < 30_000, `${l.isolation} first output ${l.firstOutputMs}`);
      assert.ok(l.runMs! >= 0, `${l.isolation} run ${l.runMs}`);
      assert.ok(l.peakMemoryBytes! > 100_000, `${l.isolation} peak ${l.peakMemoryBytes}`);
      assert.ok(l.boundary.length > 5);
    }
    const [, c, g] = r.levels;
    // The Sentry and gofer hold far more memory than a container's shell.
    assert.ok(g.peakMemoryBytes! > c.peakMemoryBytes!, `gvisor ${g.peakMemoryBytes} vs container ${c.peakMemoryBytes}`);
    assert.deepEqual(progress.map((p) => `${p.level}:${p.phase}`), ['isolate:start', 'isolate:done', 'container:start', 'container:done', 'gvisor:start', 'gvisor:done']);
    await clean();
  });

  test('a JS worker runs as an isolate only', { timeout: 60_000 }, async () => {
    world.write('hello.worker.js', 'export default { fetch() { return new Response("hi from isolate"); } };\n');
    const file = world.write('js.sandbox.yaml', 'name: js\nisolation: isolate\nworker: ./hello.worker.js\ncompatibilityDate: 2025-01-01\n');
    const [spec] = await world.engine.specs(file);
    const r = await world.engine.compare(spec, { levels: ['isolate', 'container'] });
    const [iso, con] = r.levels;
    assert.equal(iso.error, undefined, iso.error);
    assert.equal(iso.exitCode, 0);
    assert.ok(iso.firstOutputMs! > 0);
    assert.match(con.skipped ?? '', /JS worker without an image/);
    await clean();
  });

  test('cancelling stops the run in progress and leaves nothing behind', { timeout: 60_000 }, async () => {
    const file = world.write('long.sandbox.yaml', 'name: long\nisolation: container\nimage: busybox\ncommand: [/bin/sh, -c, "echo go; sleep 60"]\ntimeout: 90s\n');
    const [spec] = await world.engine.specs(file);
    const ac = new AbortController();
    const started = Date.now();
    const p = world.engine.compare(spec, { levels: ['container', 'gvisor'], signal: ac.signal, onProgress: (e) => e.phase === 'start' && setTimeout(() => ac.abort(), 1500) });
    await assert.rejects(p, /cancelled/);
    assert.ok(Date.now() - started < 30_000, 'cancelled well before the workload would end');
    await clean();
  });
});
