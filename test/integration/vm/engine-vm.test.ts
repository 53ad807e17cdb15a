// microvm and vm levels through the whole engine (spec -> driver -> monitor -> QEMU under TCG
// here): command output and exit code, proof the command ran in the guest's kernel, the
// lifecycle (inspect, logs, down), Firecracker configs via translation, and refusals.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, openSync, readFileSync, writeSync, closeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { emptyLeftovers, sandboxWorld, type SandboxWorld } from '../engine/sandbox-env';
import { newestCachedKernel } from '../../../engine/vm/guest-kernel';
import { specFromFirecrackerConfig } from '../../../engine/vm/spec-request';
import type { SandboxSpec } from '../../../engine/spec/types';

const BOOT_MS = 60_000;
let world: SandboxWorld;
const kernel = newestCachedKernel();

before(() => {
  assert.ok(kernel, 'no guest kernel cached: `npm test` runs the set-up, which fetches it as root (sudo npm run setup)');
  world = sandboxWorld();
});

after(async () => {
  await world?.close();
});

async function specOf(yaml: string, name = 'vm.sandbox.yaml'): Promise<SandboxSpec> {
  const file = world.write(name, yaml);
  const specs = await world.engine.specs(file);
  assert.equal(specs.length, 1);
  return specs[0];
}

async function assertClean(): Promise<void> {
  // The monitor finishes tear-down just after reporting the exit: give it a moment.
  for (let i = 0; i < 100; i++) {
    const l = world.leftovers();
    if (JSON.stringify(l) === JSON.stringify(emptyLeftovers())) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.deepEqual(world.leftovers(), emptyLeftovers());
}

describe('microvm and vm through the engine', () => {
  for (const level of ['microvm', 'vm'] as const) {
    test(`${level}: runs the command in the guest kernel and returns output and exit code`, { timeout: BOOT_MS * 2 }, async () => {
      const spec = await specOf(`name: k-${level}\nisolation: ${level}\nimage: busybox\ncommand: [/bin/sh, -c, "echo guest=$(uname -r); echo err >&2; exit 7"]\nresources: { memory: 256Mi }\ntimeout: 60s\n`);
      const r = await world.engine.run(spec, { timeoutMs: BOOT_MS });
      assert.equal(r.timedOut, undefined, r.output);
      assert.equal(r.exitCode, 7, r.output);
      const guest = /guest=(\S+)/.exec(r.output)?.[1];
      assert.equal(guest, kernel!.release);
      assert.notEqual(guest, os.release());
      assert.match(r.output, /^err$/m);
      assert.ok(!r.output.includes('SPECTRUM-'), 'nonce markers stay out of the output');
      await assertClean();
    });
  }

  test('up, inspect, logs, exec through the guest agent and down; nothing left behind', { timeout: BOOT_MS * 2 }, async () => {
    const spec = await specOf('name: life\nisolation: microvm\nimage: busybox\ncommand: [/bin/sh, -c, "echo life-started; sleep 600"]\nresources: { cpus: 1, memory: 192Mi }\n', 'life.sandbox.yaml');
    const info = await world.engine.upSpec(spec);
    try {
      assert.equal(info.state, 'running');
      // The live fields come over QMP from the running QEMU. Under TCG on a loaded machine one
      // query can miss inspect's 2 s limit; ask again until QEMU has answered once.
      let i = await world.engine.inspect(info.id);
      const deadline = Date.now() + 60_000;
      while ((i.extra?.inspectError !== undefined || String(i.extra?.vmStatus).startsWith('unknown')) && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 500));
        i = await world.engine.inspect(info.id);
      }
      assert.equal(i.runtime, 'qemu');
      assert.equal(i.extra?.accelerator, 'tcg');
      assert.equal(i.extra?.vmm, 'qemu');
      assert.equal(i.extra?.kernelRelease, kernel!.release);
      assert.ok(String(i.extra?.initramfs).endsWith('initrd.img'));
      assert.equal(i.extra?.memoryMiB, 192);
      // From QMP: query-status, query-memory-size-summary, query-cpus-fast and the greeting.
      assert.equal(i.extra?.vmStatus, 'running', JSON.stringify(i.extra));
      assert.equal(i.extra?.guestMemoryBytes, 192 * 1024 * 1024, JSON.stringify(i.extra));
      assert.equal(i.extra?.vcpus, 1);
      // The QMP greeting's version is the one the launched binary prints for --version.
      const plan = JSON.parse(readFileSync(path.join(path.dirname(i.logPath), 'plan.json'), 'utf8')) as { process: { command: string } };
      const versionOut = execFileSync(plan.process.command, ['--version'], { encoding: 'utf8' });
      assert.equal(i.extra?.vmmVersion, /version (\d+\.\d+\.\d+)/.exec(versionOut)?.[1], `${JSON.stringify(i.extra)}\n${versionOut}`);
      let logs = '';
      for (const until = Date.now() + 60_000; !logs.includes('life-started') && Date.now() < until; ) {
        logs = await world.engine.logs(info.id);
        await new Promise((r) => setTimeout(r, 100));
      }
      assert.match(logs, /life-started/);
      // exec reaches the guest through its agent: the guest's own kernel answers, with its exit code.
      const r = await world.engine.exec(info.id, ['/bin/sh', '-c', 'uname -r; exit 4']);
      assert.equal(r.exitCode, 4, JSON.stringify(r));
      assert.match(r.stdout, /amd64/);
      assert.notEqual(r.stdout.trim(), execFileSync('uname', ['-r'], { encoding: 'utf8' }).trim());
    } finally {
      await world.engine.down(info.id);
    }
    await assertClean();
  });

  test('a Firecracker config boots through the QEMU translation and reads a marker from its drive', { timeout: BOOT_MS * 2 }, async () => {
    const dir = path.join(world.root, 'fc');
    mkdirSync(path.join(dir, 'tree'), { recursive: true });
    writeFileSyncSafe(path.join(dir, 'tree', 'marker'), 'firecracker-drive-marker\n');
    execFileSync('mkfs.ext4', ['-q', '-F', '-d', path.join(dir, 'tree'), path.join(dir, 'data.ext4'), '8M']);
    copyFileSync(kernel!.vmlinux, path.join(dir, 'vmlinux.bin'));
    const cfg = {
      'boot-source': { kernel_image_path: 'vmlinux.bin', boot_args: 'console=ttyS0 reboot=k panic=1 pci=off' },
      drives: [{ drive_id: 'data', path_on_host: 'data.ext4', is_root_device: false, is_read_only: true }],
      'machine-config': { vcpu_count: 1, mem_size_mib: 256, smt: false, track_dirty_pages: true },
    };
    writeFileSyncSafe(path.join(dir, 'vm_config.json'), JSON.stringify(cfg));
    const fc = specFromFirecrackerConfig(path.join(dir, 'vm_config.json'), { command: ['cat', '/drives/data/marker'] });
    assert.deepEqual(fc.unhonoured.map((u) => u.path), ['machine-config.track_dirty_pages']);
    const r = await world.engine.run(fc.spec, { timeoutMs: BOOT_MS });
    assert.equal(r.exitCode, 0, r.output);
    assert.equal(r.output, 'firecracker-drive-marker\n');
    await assertClean();
  });

  test('a guest that never boots is killed at its timeout and reported', { timeout: BOOT_MS * 2 }, async () => {
    // A bzImage whose compressed payload is corrupt: the guest's decompressor halts forever.
    const bad = path.join(world.root, 'corrupt-vmlinuz');
    copyFileSync(kernel!.bzImage, bad);
    const fd = openSync(bad, 'r+');
    writeSync(fd, Buffer.alloc(64 * 1024, 0xa5), 0, 64 * 1024, 2 * 1024 * 1024);
    closeSync(fd);
    const spec = await specOf(`name: hang\nisolation: microvm\nimage: busybox\nkernel: ${bad}\ncommand: [/bin/true]\ntimeout: 8s\n`, 'hang.sandbox.yaml');
    const started = Date.now();
    const r = await world.engine.run(spec).catch((e: Error) => e);
    assert.ok(Date.now() - started < 30_000, 'killed near its timeout');
    if (r instanceof Error) assert.match(r.message, /not ready|timed? ?out|monitor exited/i);
    else {
      assert.notEqual(r.exitCode, 0);
      assert.ok(r.timedOut || r.exitCode === null, JSON.stringify(r));
    }
    await assertClean();
  });
});

describe('VM refusals: a clear error, nothing left running', () => {
  const cases: [string, () => Promise<SandboxSpec>, RegExp][] = [
    ['a missing kernel', () => specOf('name: nok\nisolation: microvm\nimage: busybox\nkernel: /nonexistent/vmlinux\ncommand: [/bin/true]\n', 'a.sandbox.yaml'), /does not exist/],
    ['a file that is not a kernel', () => specOf(`name: notk\nisolation: microvm\nimage: busybox\nkernel: ${path.join(world.root, 'vm.sandbox.yaml')}\ncommand: [/bin/true]\n`, 'b.sandbox.yaml'), /not a Linux kernel/],
    ['too little memory', () => specOf('name: tiny\nisolation: microvm\nimage: busybox\ncommand: [/bin/true]\nresources: { memory: 80Mi }\n', 'c.sandbox.yaml'), /memory/i],
    ['a PCI device that does not exist', () => specOf("name: pci\nisolation: vm\nimage: busybox\ncommand: [/bin/true]\ndevices: ['0000:7f:1f.7']\n", 'd.sandbox.yaml'), /0000:7f:1f\.7.*does not exist/],
  ];
  for (const [what, make, pattern] of cases) {
    test(what, async () => {
      let spec: SandboxSpec | undefined;
      const err = await make().then(
        async (s) => {
          spec = s;
          return world.engine.run(s, { timeoutMs: BOOT_MS }).then(() => undefined, (e: Error) => e);
        },
        (e: Error) => e,
      );
      assert.ok(err instanceof Error, `expected a refusal for ${spec?.name}`);
      assert.match(err.message, pattern);
      await assertClean();
    });
  }

  test('an unknown Firecracker field', () => {
    const file = path.join(world.root, 'bad_config.json');
    writeFileSyncSafe(file, readFileSync(path.resolve(__dirname, '..', '..', 'fixtures', 'firecracker', 'unknown-field.json'), 'utf8'));
    assert.throws(() => specFromFirecrackerConfig(file), /drives\[0\]\.cache_typ: unknown field 'cache_typ'/);
  });
});

function writeFileSyncSafe(p: string, text: string): void {
  mkdirSync(path.dirname(p), { recursive: true });
  const fd = openSync(p, 'w');
  writeSync(fd, text);
  closeSync(fd);
}
