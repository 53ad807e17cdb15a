// network: outbound from the other ways a sandbox comes in: a user's own OCI bundle (container
// and gVisor) and a Firecracker config run through the QEMU translation each reach a test host
// outside through pasta; without root, outbound is refused with the reason and leaves nothing.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { emptyLeftovers, ROOT, sandboxWorld, type SandboxWorld } from '../engine/sandbox-env';
import { buildOciConfig } from '../../../engine/oci/config';
import { defaultSpec } from '../../../engine/spec/defaults';
import { newestCachedKernel } from '../../../engine/vm/guest-kernel';
import { specFromFirecrackerConfig } from '../../../engine/vm/spec-request';
import { namespaceMounts } from './net-env';
import { startTestHost, type TestHost } from './test-host';

const BOOT_MS = 120_000;
let world: SandboxWorld;
let outside: TestHost;

before(async () => {
  world = sandboxWorld();
  outside = await startTestHost('outside-ok');
});
after(async () => {
  await outside?.close();
  await world?.close();
});

/** A bundle of the host's busybox whose process asks the test host for its answer. */
function ownBundle(name: string): string {
  const bundle = path.join(world.root, name);
  const rootfs = path.join(bundle, 'rootfs');
  mkdirSync(path.join(rootfs, 'bin'), { recursive: true });
  writeFileSync(path.join(rootfs, 'bin', 'busybox'), readFileSync('/usr/bin/busybox'), { mode: 0o755 });
  const probe = `echo | /bin/busybox timeout 10 /bin/busybox nc ${outside.address} ${outside.port}; echo done`;
  const config = buildOciConfig(defaultSpec(name, 'container', bundle, { image: 'x', command: ['/bin/busybox', 'sh', '-c', probe], readonly: true }), { rootfs: 'rootfs' });
  writeFileSync(path.join(bundle, 'config.json'), JSON.stringify(config));
  return bundle;
}

describe('network: outbound from a given bundle and a Firecracker config', () => {
  for (const isolation of ['container', 'gvisor'] as const) test(`${isolation}: a user's own OCI bundle reaches a test host outside through pasta`, async () => {
    const bundle = ownBundle(`bundle-${isolation}`);
    const before = outside.connections;
    const r = await world.engine.run(defaultSpec(`bundle-${isolation}`, isolation, path.join(world.root, 'b.sandbox.yaml'), { image: bundle, network: 'outbound' }));
    assert.match(r.output, /outside-ok/, r.output);
    assert.equal(outside.connections, before + 1);
    assert.deepEqual(namespaceMounts(world.root), []);
    assert.deepEqual(world.leftovers(), emptyLeftovers());
  });

  test('microvm: a Firecracker config with a network interface reaches a test host outside (QEMU translation, inside pasta)', async () => {
    const kernel = newestCachedKernel();
    assert.ok(kernel, 'no guest kernel cached: `npm test` runs the set-up, which fetches it as root (sudo npm run setup)');
    const dir = path.join(world.root, 'fc');
    mkdirSync(dir, { recursive: true });
    copyFileSync(kernel.vmlinux, path.join(dir, 'vmlinux.bin'));
    const cfg = {
      'boot-source': { kernel_image_path: 'vmlinux.bin', boot_args: 'console=ttyS0 reboot=k panic=1 pci=off' },
      drives: [],
      'machine-config': { vcpu_count: 1, mem_size_mib: 256 },
      'network-interfaces': [{ iface_id: 'eth0', host_dev_name: 'tap0' }],
    };
    writeFileSync(path.join(dir, 'vm_config.json'), JSON.stringify(cfg));
    const fc = specFromFirecrackerConfig(path.join(dir, 'vm_config.json'), { command: ['/bin/sh', '-c', `echo | timeout 10 nc ${outside.address} ${outside.port}; echo done`] });
    assert.equal(fc.spec.network, 'outbound');
    assert.deepEqual(fc.unhonoured.map((u) => u.path), ['network-interfaces[0].host_dev_name']);
    const before = outside.connections;
    const r = await world.engine.run({ ...fc.spec, microvm: { vmm: 'qemu' } }, { timeoutMs: BOOT_MS });
    assert.match(r.output, /outside-ok/, r.output);
    assert.equal(outside.connections, before + 1);
    assert.deepEqual(namespaceMounts(world.root), []);
    assert.deepEqual(world.leftovers(), emptyLeftovers());
  });
});

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

describe('network: outbound without root', { skip: isRoot ? false : 'switching to the nobody user needs root' }, () => {
  test('as nobody, outbound is refused naming the reason, and nothing is left', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'spectrum-net-rootless-'));
    try {
      chmodSync(dir, 0o777);
      writeFileSync(path.join(dir, 'o.sandbox.yaml'), 'name: rl-out\nisolation: container\nimage: busybox\nnetwork: outbound\ncommand: [/bin/true]\n', { mode: 0o644 });
      const env = [`HOME=${dir}`, `XDG_STATE_HOME=${dir}/s`, `XDG_CACHE_HOME=${dir}/c`, `XDG_RUNTIME_DIR=${dir}/r`, `PATH=${process.env.PATH}`];
      const r = spawnSync('runuser', ['-u', 'nobody', '--', 'env', '-i', ...env, process.execPath, path.join(ROOT, 'dist', 'cli.js'), 'run', 'o.sandbox.yaml'], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
      assert.notEqual(r.status, 0, r.stdout);
      assert.match(r.stderr, /network: outbound is not possible here: .*needs root/, r.stderr);
      assert.match(r.stderr, /use network: none/);
      const sandboxes = path.join(dir, 's', 'isolation-spectrum', 'sandboxes');
      assert.deepEqual(existsSync(sandboxes) ? readdirSync(sandboxes).filter((n) => !n.startsWith('.')) : [], []);
      const pastas = spawnSync('pgrep', ['-u', 'nobody', '^pas(ta|st)'], { encoding: 'utf8' }).stdout.trim();
      assert.equal(pastas, '', 'a pasta of nobody is running');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
