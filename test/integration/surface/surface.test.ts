// The attack surface measured from real running sandboxes: a runc container, a gVisor sandbox,
// a QEMU microvm and a q35 VM. Each shows its own kind of kernel; the VMs' device lists are
// checked against what QMP itself answers; the CLI prints the documented JSON shape.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import os from 'node:os';
import { sandboxWorld, type SandboxWorld } from '../engine/sandbox-env';
import { newestCachedKernel } from '../../../engine/vm/guest-kernel';
import { QmpClient } from '../../../engine/vm/qmp';
import { childDevices, pciDevices, QOM_DEVICE_PATHS, summarize, type PciInfo, type QomProperty } from '../../../engine/surface/vm-devices';
import type { AttackSurface } from '../../../engine/surface/types';

const BOOT_MS = 90_000;
let world: SandboxWorld;

before(() => {
  world = sandboxWorld();
});

after(async () => {
  await world?.close();
});

async function launch(name: string, isolation: string, extra = ''): Promise<string> {
  const file = world.write(`${name}.sandbox.yaml`, `name: ${name}\nisolation: ${isolation}\nimage: busybox\ncommand: [/bin/sh, -c, "echo up; sleep 600"]\ntimeout: 700s\n${extra}`);
  const [spec] = await world.engine.specs(file);
  const info = await world.engine.upSpec(spec);
  world.ids.add(info.id);
  // Measured once the workload itself has run (VMs: after boot).
  for (let i = 0; i < 600 && !(await world.engine.logs(info.id)).includes('up'); i++) await new Promise((r) => setTimeout(r, 100));
  return info.id;
}

describe('attack surface of running sandboxes', () => {
  const seen: Record<string, AttackSurface> = {};

  test('container: the host kernel, the seccomp count, no capabilities, its own namespaces', { timeout: 60_000 }, async () => {
    const id = await launch('sc', 'container');
    const s = await world.engine.surface(id);
    seen.container = s;
    assert.equal(s.kernel.kind, 'host');
    assert.equal(s.kernel.release, os.release());
    // The engine's default profile denies ~53 of the table; the kernel may lack a few more.
    assert.ok(s.syscalls.of >= 300 && s.syscalls.reachable < s.syscalls.of - 40 && s.syscalls.reachable > 200, JSON.stringify(s.syscalls));
    assert.deepEqual(s.syscalls.conditional, ['clone']);
    assert.deepEqual(s.capabilities, []);
    for (const ns of ['mnt', 'pid', 'net', 'ipc', 'uts']) assert.ok(s.namespaces.includes(ns), ns);
    assert.ok(s.devices.includes('/dev/null') && !s.devices.some((d) => /sd[a-z]|nvme|kvm/.test(d)), s.devices.join(' '));
    assert.ok(!s.writableMounts.some((m) => m.startsWith('/ (')), 'the root is read-only by default');
    assert.ok(s.writableMounts.includes('/tmp (tmpfs)'));
    assert.match(s.verdict, /^shared host kernel/);
  });

  test('gVisor: the Sentry\'s kernel, what it implements and its own host filter', { timeout: 90_000 }, async () => {
    const id = await launch('sg', 'gvisor');
    const s = await world.engine.surface(id);
    seen.gvisor = s;
    assert.equal(s.kernel.kind, 'sentry');
    assert.ok(s.kernel.platform, 'platform named');
    assert.equal(s.syscalls.reachable, 0);
    assert.ok(s.syscalls.implemented && s.syscalls.implemented.full > 150, JSON.stringify(s.syscalls.implemented));
    assert.ok(s.syscalls.host, `host filter measured: ${JSON.stringify(s.notes)}`);
    assert.ok(s.syscalls.host.reachable > 20 && s.syscalls.host.reachable < 150, JSON.stringify(s.syscalls.host));
    assert.ok(seen.container && s.syscalls.host.reachable < seen.container.syscalls.reachable, 'the Sentry reaches fewer host syscalls than a container');
    assert.ok(s.namespaces.includes('user') || s.namespaces.includes('mnt'), s.namespaces.join(' '));
    assert.match(s.measured?.what ?? '', /Sentry/);
  });

  for (const level of ['microvm', 'vm'] as const) {
    test(`${level}: the guest's own kernel, read from the guest, and a device list that matches QMP`, { timeout: BOOT_MS * 2 }, async (t) => {
      const kernel = newestCachedKernel();
      assert.ok(kernel, 'no guest kernel cached: `npm test` runs the set-up, which fetches it (sudo npm run setup)');
      const id = await launch(`s${level}`, level, 'resources: { memory: 256Mi }\n');
      const s = await world.engine.surface(id);
      seen[level] = s;
      assert.equal(s.kernel.kind, 'guest');
      assert.equal(s.kernel.release, kernel.release);
      assert.match(s.kernel.source, /guest memory/);
      assert.notEqual(s.kernel.release, os.release());
      assert.equal(s.syscalls.reachable, 0);
      assert.ok(s.syscalls.interface === 'tcg' || s.syscalls.interface === 'kvm');
      // QMP asked directly, independently of the engine's connection.
      const info = await world.engine.inspect(id);
      const c = await QmpClient.connect(String(info.extra?.qmpSocket), 5000);
      let fromQmp: string[];
      try {
        const types: string[] = [];
        for (const p of QOM_DEVICE_PATHS) types.push(...childDevices(await c.execute<QomProperty[]>('qom-list', { path: p })));
        fromQmp = [...summarize(types), ...pciDevices(await c.execute<PciInfo[]>('query-pci'))];
      } finally {
        c.close();
      }
      assert.deepEqual(s.devices, fromQmp);
      if (level === 'microvm') {
        assert.ok(!s.devices.some((d) => d.startsWith('pci ')), 'microvm has no PCI bus');
        assert.ok(s.devices.some((d) => d.startsWith('virtio-mmio')), s.devices.join(' '));
      } else {
        assert.ok(s.devices.filter((d) => d.startsWith('pci ')).length >= 3, s.devices.join(' '));
      }
      t.diagnostic(`${level} devices: ${s.devices.join(', ')}`);
    });
  }

  test('the kinds differ across levels, and the CLI prints the documented JSON shape', { timeout: 60_000 }, async () => {
    const kinds = Object.values(seen).map((s) => s.kernel.kind);
    assert.deepEqual([...new Set(kinds)].sort(), ['guest', 'host', 'sentry']);
    const r = world.cli(['inspect', seen.container.id, '--surface', '--json']);
    assert.equal(r.status, 0, r.stderr);
    const j = JSON.parse(r.stdout) as AttackSurface;
    assert.equal(j.kernel.kind, 'host');
    assert.equal(typeof j.kernel.release, 'string');
    assert.equal(typeof j.syscalls.reachable, 'number');
    assert.equal(typeof j.syscalls.of, 'number');
    for (const k of ['devices', 'capabilities', 'writableMounts'] as const) assert.ok(Array.isArray(j[k]), k);
    assert.equal(typeof j.verdict, 'string');
    const text = world.cli(['inspect', seen.container.id, '--surface']);
    assert.equal(text.status, 0, text.stderr);
    assert.match(text.stdout, /verdict {7}shared host kernel/);
  });

  test('an ended sandbox is refused with the reason', { timeout: 60_000 }, async () => {
    const file = world.write('done.sandbox.yaml', 'name: done\nisolation: container\nimage: busybox\ncommand: [/bin/true]\n');
    const [spec] = await world.engine.specs(file);
    const info = await world.engine.upSpec(spec);
    for (let i = 0; i < 100 && (await world.engine.inspect(info.id)).state === 'running'; i++) await new Promise((r) => setTimeout(r, 100));
    await assert.rejects(world.engine.surface(info.id), /measured from a running sandbox/);
  });
});
