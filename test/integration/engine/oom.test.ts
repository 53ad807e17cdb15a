// The kernel's OOM killer ending a container's or gVisor sandbox's workload at its memory limit: the sandbox's
// status, inspect and `spectrum ps` say "killed: out of memory (limit 32 MiB)", and every other
// ended sandbox has its exit reason in inspect too.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { emptyLeftovers, sandboxWorld, type SandboxWorld } from './sandbox-env';
import { defaultSpec } from '../../../engine/spec/defaults';
import type { SandboxInfo } from '../../../engine/api';
import type { SandboxSpec } from '../../../engine/spec/types';

const MIB = 1024 * 1024;
let world: SandboxWorld;

before(() => {
  world = sandboxWorld();
});
after(async () => {
  await world?.close();
});

function spec(name: string, command: string, memoryBytes?: number, isolation: 'container' | 'gvisor' = 'container'): SandboxSpec {
  return defaultSpec(name, isolation, `${world.root}/oom.sandbox.yaml`, { image: 'busybox', command: ['/bin/sh', '-c', command], ...(memoryBytes ? { resources: { memoryBytes } } : {}) });
}

/** Launches and waits until the sandbox has ended (its monitor recorded why). */
async function ended(s: SandboxSpec): Promise<SandboxInfo> {
  const info = await world.engine.upSpec(s);
  world.ids.add(info.id);
  const deadline = Date.now() + 60_000;
  for (;;) {
    const now = await world.engine.inspect(info.id);
    if (now.state === 'exited' || now.state === 'failed') return now;
    assert.ok(Date.now() < deadline, `${info.id} still ${now.state} after 60 s`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('container and gVisor: why a sandbox ended', () => {
  for (const isolation of ['container', 'gvisor'] as const) test(`${isolation}: a memory hog under memory: 32Mi ends "killed: out of memory (limit 32 MiB)" in inspect and ps`, async () => {
    // dd fills one 256 MiB block buffer: far past the limit, and swap is limited alike. It is
    // the sandbox's own process (exec), so the kill ends the sandbox.
    const info = await ended(spec(`oom-${isolation}`, 'echo start; exec dd if=/dev/zero of=/dev/null bs=256M count=1', 32 * MIB, isolation));
    assert.equal(info.extra?.exitReason, 'killed: out of memory (limit 32 MiB)', JSON.stringify(info));
    assert.equal(info.extra?.oomKilled, true);
    assert.equal(info.extra?.reason, 'killed: out of memory (limit 32 MiB)');
    const ps = world.cli(['ps']);
    assert.equal(ps.status, 0, ps.stderr);
    const row = ps.stdout.split('\n').find((l) => l.startsWith(info.id));
    assert.match(row ?? '', /killed: out of memory \(limit 32 MiB\)/, ps.stdout);
    const json = world.cli(['inspect', info.id, '--json']);
    assert.equal(json.status, 0, json.stderr);
    assert.equal((JSON.parse(json.stdout) as SandboxInfo).extra?.exitReason, 'killed: out of memory (limit 32 MiB)');
    await world.engine.down(info.id);
  });

  test('the same limit with a small workload: exit reason is its exit code, no OOM', async () => {
    const info = await ended(spec('oom-fits', 'dd if=/dev/zero of=/dev/null bs=1M count=1; exit 3', 32 * MIB));
    assert.equal(info.extra?.exitReason, 'exited with code 3', JSON.stringify(info));
    assert.equal(info.extra?.oomKilled, undefined);
    await world.engine.down(info.id);
  });

  test('a sandbox stopped by down while running was stopped on request', async () => {
    const info = await world.engine.upSpec(spec('oom-stopped', 'echo up; sleep 600'));
    world.ids.add(info.id);
    // Stop it through its monitor as down does, but keep its record to read the reason back.
    const status = JSON.parse(readFileSync(path.join(world.root, 'state', 'isolation-spectrum', 'sandboxes', info.id, 'status.json'), 'utf8')) as { monitorPid: number };
    process.kill(status.monitorPid, 'SIGTERM');
    const deadline = Date.now() + 30_000;
    let now = await world.engine.inspect(info.id);
    while (now.state !== 'exited' && now.state !== 'failed' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      now = await world.engine.inspect(info.id);
    }
    assert.match(String(now.extra?.exitReason), /^stopped on request/, JSON.stringify(now));
    await world.engine.down(info.id);
    assert.deepEqual(world.leftovers(), emptyLeftovers());
  });
});
