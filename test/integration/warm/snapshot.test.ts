// gVisor checkpoint/restore on the real runsc: a counting shell is snapshotted (runsc checkpoint
// ends it on this build) and restored as a new sandbox that goes on counting from where it was,
// i.e. its memory came back. Other levels refuse with the reason. Nothing is left afterwards.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import os from 'node:os';
import { sandboxWorld, emptyLeftovers, type SandboxWorld } from '../engine/sandbox-env';
import type { SnapshotInfo } from '../../../engine/api';
import { criuRefusal } from '../../helpers/criu';

let world: SandboxWorld;

before(() => {
  world = sandboxWorld();
});

after(async () => {
  await world.close();
});

const counter = (name: string, isolation: string) =>
  `name: ${name}\nisolation: ${isolation}\nimage: busybox\ncommand: [/bin/sh, -c, "i=0; while true; do i=$((i+1)); echo n=$i; sleep 0.1; done"]\n`;
const counts = (log: string): number[] => [...log.matchAll(/n=(\d+)/g)].map((m) => Number(m[1]));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitCount(id: string, atLeast: number): Promise<number[]> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const c = counts(await world.engine.logs(id));
    if (c.length && c[c.length - 1] >= atLeast) return c;
    if (Date.now() > deadline) assert.fail(`${id} counted only to ${c.pop() ?? 'nothing'}`);
    await sleep(50);
  }
}

describe('gVisor checkpoint/restore', () => {
  test('a restored sandbox goes on counting where the snapshot left it (memory kept)', async (t) => {
    const file = world.write('g.sandbox.yaml', counter('g', 'gvisor'));
    const t0 = performance.now();
    const [src] = await world.engine.up(file);
    world.ids.add(src.id);
    const before = await waitCount(src.id, 5);
    const coldMs = performance.now() - t0;

    const r = world.cli(['snapshot', src.id, '--name', 'g-snap', '--json'], { timeoutMs: 90_000 });
    assert.equal(r.status, 0, r.stderr);
    const snap = JSON.parse(r.stdout) as SnapshotInfo;
    world.ids.delete(src.id);
    assert.equal(snap.name, 'g-snap');
    assert.equal(snap.sourceId, src.id);
    assert.ok(snap.sizeBytes > 0);
    assert.ok(!(await world.engine.ps()).some((s) => s.id === src.id), 'the checkpointed source should be torn down');
    const lastBefore = counts(await world.engine.logs(src.id).catch(() => '')).pop() ?? before[before.length - 1];

    const t1 = performance.now();
    const restored = await world.engine.restore('g-snap');
    world.ids.add(restored.id);
    const after = await waitCount(restored.id, lastBefore + 3);
    const restoreMs = performance.now() - t1;
    assert.notEqual(restored.id, src.id);
    assert.equal(restored.extra?.start, 'restored');
    assert.equal(restored.extra?.snapshot, 'g-snap');
    assert.ok(after[0] > 1, `the restored counter started again at ${after[0]}: its memory was lost`);
    assert.ok(after[0] >= before[before.length - 1], `restored at ${after[0]}, before the checkpoint it was at ${before[before.length - 1]}`);
    t.diagnostic(`gVisor: checkpoint ${snap.durationMs} ms (${(snap.sizeBytes / 1048576).toFixed(2)} MB); restore to counting ${restoreMs.toFixed(0)} ms vs cold up to counting ${coldMs.toFixed(0)} ms (ratio ${(coldMs / restoreMs).toFixed(2)}); load ${os.loadavg()[0].toFixed(2)}`);

    const list = JSON.parse(world.cli(['snapshots', '--json']).stdout) as SnapshotInfo[];
    assert.deepEqual(list.map((s) => s.name), ['g-snap']);
    await world.engine.down(restored.id);
    world.ids.delete(restored.id);
    assert.equal(world.cli(['snapshots', 'rm', 'g-snap']).status, 0);
    assert.equal(existsSync(snap.path), false);
    assert.deepEqual(world.leftovers(), emptyLeftovers());
  });

  test('other levels and unknown snapshots are refused with the reason', async () => {
    const [c] = await world.engine.up(world.write('c.sandbox.yaml', counter('c', 'container')));
    world.ids.add(c.id);
    await assert.rejects(world.engine.snapshot(c.id), criuRefusal());
    assert.equal((await world.engine.inspect(c.id)).state, 'running', 'a refused snapshot must leave the sandbox alone');
    const r = world.cli(['restore', 'nope']);
    assert.equal(r.status, 125);
    assert.match(r.stderr, /no snapshot 'nope'/);
    assert.equal(world.cli(['snapshot', c.id, '--name', '../x']).status, 125);
    await world.engine.downAll();
    world.ids.clear();
    assert.deepEqual(world.leftovers(), emptyLeftovers());
  });
});
