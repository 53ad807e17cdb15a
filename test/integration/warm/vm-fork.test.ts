// microVM snapshot and fork on the real QEMU (TCG here): a running guest with a file and a
// counter held by a process is forked twice; each copy has both, then they diverge; each copy's
// kernel RNG gives its own bytes and its clock is the host's; a snapshot whose recorded QEMU
// version no longer matches is refused with the reason; pause/resume over QMP; nothing is left
// afterwards.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sandboxWorld, emptyLeftovers, type SandboxWorld } from '../engine/sandbox-env';
import type { SandboxInfo, SnapshotInfo } from '../../../engine/api';
import { criuRefusal } from '../../helpers/criu';

const BOOT_MS = 180_000;
let world: SandboxWorld;

before(() => {
  world = sandboxWorld();
});

after(async () => {
  await world.close();
});

// The counter lives in the shell's memory; /tmp/count only shows it (rootfs and /tmp are RAM).
const COUNTER = 'echo ready; i=0; while :; do i=$((i+1)); echo $i > /tmp/count; sleep 0.2; done';

async function sh(id: string, script: string): Promise<string> {
  const r = await world.engine.exec(id, ['/bin/sh', '-c', script]);
  assert.equal(r.exitCode, 0, `${id}: ${script}: ${r.stderr}`);
  return r.stdout;
}

async function waitReady(id: string): Promise<void> {
  const deadline = Date.now() + BOOT_MS;
  while (!(await world.engine.logs(id)).includes('ready')) {
    if (Date.now() > deadline) assert.fail(`${id} never printed ready`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The guest's wall clock against the host's, bracketed by the exec's start and end. */
async function clockError(id: string): Promise<number> {
  const h0 = Date.now() / 1000;
  const g = Number((await sh(id, 'date +%s')).trim());
  const h1 = Date.now() / 1000;
  // `date +%s` truncates: the guest's true time is in [g, g+1).
  if (g + 1 < h0) return h0 - (g + 1);
  if (g > h1) return g - h1;
  return 0;
}

describe('microVM snapshot and fork', { timeout: BOOT_MS * 4 }, () => {
  let src = '';
  let forks: SandboxInfo[] = [];

  before(async () => {
    const file = world.write('m.sandbox.yaml', `name: m\nisolation: microvm\nimage: busybox\nresources: { memory: 128Mi }\ncommand: [/bin/sh, -c, "${COUNTER}"]\n`);
    const [info] = await world.engine.up(file);
    src = info.id;
    world.ids.add(src);
    await waitReady(src);
    await sh(src, 'echo before-fork > /tmp/marker');
  });

  test('fork --count 2: each copy sees the file and the counter, then they diverge', async (t) => {
    const atFork = Number((await sh(src, 'cat /tmp/count')).trim());
    assert.ok(atFork > 0);
    const t0 = performance.now();
    const r = world.cli(['fork', src, '--count', '2', '--json'], { timeoutMs: BOOT_MS });
    const forkMs = performance.now() - t0;
    assert.equal(r.status, 0, r.stderr);
    forks = JSON.parse(r.stdout) as SandboxInfo[];
    assert.equal(forks.length, 2);
    for (const f of forks) world.ids.add(f.id);
    const ids = forks.map((f) => f.id);
    assert.equal(new Set([src, ...ids]).size, 3, 'each copy is its own sandbox');
    for (const f of forks) {
      assert.equal(f.state, 'running');
      assert.equal(f.extra?.start, 'restored');
      assert.equal(f.extra?.vmm, 'qemu');
      const refresh = (await world.engine.inspect(f.id)).extra?.guestRefresh as { reseeded?: boolean; machineId?: string } | undefined;
      assert.equal(refresh?.reseeded, true, `${f.id}: ${JSON.stringify(refresh)}`);
      assert.match(refresh?.machineId ?? '', /^[0-9a-f]{32}$/);
      assert.equal((await sh(f.id, 'cat /tmp/marker')).trim(), 'before-fork');
      assert.equal((await sh(f.id, 'cat /etc/machine-id')).trim(), refresh?.machineId);
      // The counting process came along with its memory: it goes on from where it was.
      const first = Number((await sh(f.id, 'cat /tmp/count')).trim());
      assert.ok(first >= atFork, `${f.id} counts from ${first}, the source was at ${atFork} before the fork`);
      await new Promise((res) => setTimeout(res, 1000));
      assert.ok(Number((await sh(f.id, 'cat /tmp/count')).trim()) > first, `${f.id}'s counter stopped`);
    }
    assert.equal((await world.engine.inspect(src)).state, 'running', 'the source goes on running');

    await sh(ids[0], 'echo only-in-a > /tmp/diverged');
    await sh(ids[1], 'echo only-in-b > /tmp/diverged');
    await sh(src, 'echo only-in-source > /tmp/diverged');
    assert.equal((await sh(ids[0], 'cat /tmp/diverged')).trim(), 'only-in-a');
    assert.equal((await sh(ids[1], 'cat /tmp/diverged')).trim(), 'only-in-b');
    assert.equal((await sh(src, 'cat /tmp/diverged')).trim(), 'only-in-source');
    t.diagnostic(`fork of a running 128 MiB microVM into 2 copies: ${forkMs.toFixed(0)} ms through the CLI; load ${os.loadavg()[0].toFixed(2)}`);
  });

  test('the copies draw different random bytes and keep the host time', async () => {
    assert.equal(forks.length, 2, 'needs the forks of the test before');
    const ids = [src, ...forks.map((f) => f.id)];
    const bytes = await Promise.all(ids.map((id) => sh(id, 'head -c 32 /dev/urandom | od -An -tx1 | tr -d " \\n"')));
    for (const b of bytes) assert.match(b, /^[0-9a-f]{64}$/);
    assert.equal(new Set(bytes).size, 3, `random bytes repeat between copies: ${bytes.join(' ')}`);
    for (const id of ids) {
      const err = await clockError(id);
      assert.ok(err <= 2, `${id}: its clock is ${err.toFixed(2)} s off the host's`);
    }
  });

  test('restore: a snapshot whose QEMU version changed is refused with the reason, the others start', async () => {
    const snap = await world.engine.snapshot(src, { name: 'm-snap' });
    assert.equal(snap.isolation, 'microvm');
    assert.ok(snap.vm && snap.vm.memoryBytes > 0 && snap.vm.memoryBytes < 128 * 1048576 * 1.1, `memory file ${snap.vm?.memoryBytes}`);
    assert.equal((await world.engine.inspect(src)).state, 'running', 'a VM snapshot leaves its source running');
    const restored = await world.engine.restore('m-snap');
    world.ids.add(restored.id);
    assert.equal(restored.extra?.snapshot, 'm-snap');
    assert.equal((await sh(restored.id, 'cat /tmp/diverged')).trim(), 'only-in-source');
    await world.engine.down(restored.id);
    world.ids.delete(restored.id);

    const meta = path.join(snap.path, 'snapshot.json');
    const saved = JSON.parse(readFileSync(meta, 'utf8')) as SnapshotInfo;
    writeFileSync(meta, JSON.stringify({ ...saved, vm: { ...saved.vm, inputs: { ...saved.vm!.inputs, qemuVersion: '6.2.0' } } }));
    const before = (await world.engine.ps()).length;
    await assert.rejects(world.engine.restore('m-snap'), /can't be restored here: its inputs changed \(QEMU version: the snapshot has 6\.2\.0, this host has \d+\.\d+/);
    assert.equal((await world.engine.ps()).length, before, 'a refused restore leaves no sandbox behind');
    assert.equal(world.cli(['snapshots', 'rm', 'm-snap']).status, 0);
    assert.equal(existsSync(snap.path), false);
  });

  test('pause stops the vCPUs (QMP says paused, exec is refused), resume goes on with the host time', async () => {
    const paused = await world.engine.pause(src);
    assert.equal(paused.state, 'paused');
    assert.equal((await world.engine.inspect(src)).extra?.vmStatus, 'paused');
    await assert.rejects(world.engine.exec(src, ['/bin/true']), /is paused/);
    await new Promise((r) => setTimeout(r, 2500));
    const resumed = await world.engine.resume(src);
    assert.equal(resumed.state, 'running');
    const a = Number((await sh(src, 'cat /tmp/count')).trim());
    await new Promise((r) => setTimeout(r, 1000));
    assert.ok(Number((await sh(src, 'cat /tmp/count')).trim()) > a, 'the counter goes on after resume');
    const err = await clockError(src);
    assert.ok(err <= 2, `after 2.5 s paused the guest clock is ${err.toFixed(2)} s off the host's`);
  });

  test('other levels refuse fork with the reason', async () => {
    const [c] = await world.engine.up(world.write('c.sandbox.yaml', 'name: c\nisolation: container\nimage: busybox\ncommand: [sleep, "60"]\n'));
    world.ids.add(c.id);
    await assert.rejects(world.engine.fork(c.id, { count: 2 }), criuRefusal());
    await assert.rejects(world.engine.fork(src, { count: 0 }), /fork count must be a whole number from 1 to 16/);
    assert.equal(world.cli(['fork', src, '--count', 'two']).status, 125);
  });

  test('nothing is left after tearing down the source, its forks and snapshots', async () => {
    await world.engine.downAll();
    world.ids.clear();
    assert.deepEqual(world.leftovers(), emptyLeftovers());
    const snaps = path.join(world.root, 'cache', 'isolation-spectrum', 'snapshots');
    const left = existsSync(snaps) ? readdirSync(snaps, { recursive: true }) : [];
    assert.deepEqual(left.filter((n) => n !== '.forks'), [], 'no snapshot files left');
  });
});
