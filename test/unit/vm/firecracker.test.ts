import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { FirecrackerConfigError, loadFirecrackerConfig, translateFirecrackerConfig, validateFirecrackerConfig } from '../../../engine/vm/firecracker-config';
import { apiRequests, jailDir, jailerArgs, wireRequest } from '../../../engine/vm/firecracker-api';
import { specFromFirecrackerConfig } from '../../../engine/vm/spec-request';
import { firecrackerConfigFor, firecrackerSupport } from '../../../engine/drivers/firecracker';

const FIX = path.resolve(__dirname, '..', '..', 'fixtures', 'firecracker');

describe('Firecracker config file', () => {
  test("Firecracker's own example config validates", () => {
    assert.deepEqual(validateFirecrackerConfig(JSON.parse(readFileSync(path.join(FIX, 'vm_config.json'), 'utf8'))), []);
    assert.deepEqual(validateFirecrackerConfig(JSON.parse(readFileSync(path.join(FIX, 'getting-started-config.json'), 'utf8'))), []);
  });

  test('an unknown field is an error naming its path', () => {
    assert.throws(
      () => loadFirecrackerConfig(path.join(FIX, 'unknown-field.json')),
      (e: unknown) => e instanceof FirecrackerConfigError && e.problems.length === 1 && e.problems[0].path === 'drives[0].cache_typ' && /unknown field 'cache_typ'/.test(e.message),
    );
  });

  test('missing required fields and wrong types are reported', () => {
    const p = validateFirecrackerConfig({ 'machine-config': { vcpu_count: '2' }, drives: [{ path_on_host: 'x' }], bogus: 1 });
    const paths = p.map((x) => x.path);
    for (const want of ['bogus', 'boot-source', 'machine-config.vcpu_count', 'machine-config.mem_size_mib', 'drives[0].drive_id', 'drives[0].is_root_device']) assert.ok(paths.includes(want), want);
  });
});

describe('Firecracker config -> QEMU microvm translation', () => {
  test('carries kernel, machine and drives over, relative to the config folder', () => {
    const cfg = loadFirecrackerConfig(path.join(FIX, 'vm_config.json'));
    const t = translateFirecrackerConfig(cfg, '/cfg');
    assert.equal(t.request.machine, 'microvm');
    assert.equal(t.request.kernel, '/cfg/vmlinux.bin');
    assert.equal(t.request.cpus, 2);
    assert.equal(t.request.memoryMiB, 1024);
    assert.deepEqual(t.request.drives, [{ id: 'rootfs', path: '/cfg/bionic.rootfs.ext4', readOnly: false, mountAt: '/mnt/rootfs', cache: 'unsafe' }]);
    assert.equal(t.request.rootDrive, '/mnt/rootfs');
    // No command: the root drive's own init runs.
    assert.deepEqual(t.request.command, ['/sbin/init']);
    // Ours replace console= and panic=; the rest of boot_args is kept.
    assert.deepEqual(t.request.bootArgs, ['reboot=k', 'pci=off']);
    assert.deepEqual(t.unhonoured, []);
  });

  test('reports every field QEMU cannot honour', () => {
    const cfg = loadFirecrackerConfig(path.join(FIX, 'getting-started-config.json'));
    const t = translateFirecrackerConfig(cfg, '/cfg', ['cat', '/mnt/rootfs/etc/os-release']);
    assert.deepEqual(t.unhonoured.map((u) => u.path).sort(), ['logger', 'network-interfaces[0].host_dev_name']);
    assert.equal(t.request.network, 'outbound');
    assert.equal(t.request.mac, '06:00:AC:10:00:02');
    assert.deepEqual(t.request.command, ['cat', '/mnt/rootfs/etc/os-release']);
    const more = translateFirecrackerConfig(
      { 'boot-source': { kernel_image_path: 'k', initrd_path: 'i' }, 'machine-config': { vcpu_count: 1, mem_size_mib: 128, smt: true, huge_pages: '2M', cpu_template: 'T2' }, drives: [{ drive_id: 'd', path_on_host: 'd.img', is_root_device: false, io_engine: 'Async', partuuid: 'x', rate_limiter: {} }], vsock: { guest_cid: 3, uds_path: 'v.sock' }, balloon: { amount_mib: 1 } },
      '/',
    );
    const paths = more.unhonoured.map((u) => u.path);
    for (const want of ['boot-source.initrd_path', 'drives[0].partuuid', 'drives[0].io_engine', 'drives[0].rate_limiter', 'machine-config.smt', 'machine-config.huge_pages', 'machine-config.cpu_template', 'vsock', 'balloon']) assert.ok(paths.includes(want), want);
    assert.deepEqual(more.mounts, { d: '/drives/d' });
  });

  test('becomes a microvm spec that keeps the config path', () => {
    const l = specFromFirecrackerConfig(path.join(FIX, 'vm_config.json'), { command: ['true'] });
    assert.equal(l.spec.isolation, 'microvm');
    assert.equal(l.spec.name, 'vm-config');
    assert.equal(l.spec.firecrackerConfig, path.join(FIX, 'vm_config.json'));
    assert.equal(l.spec.resources.memoryBytes, 1024 * 1024 * 1024);
    assert.equal(l.spec.kernel, path.join(FIX, 'vmlinux.bin'));
  });
});

describe('Firecracker API requests', () => {
  test('a config gives the very requests of the getting-started guide, in its order', () => {
    const want = JSON.parse(readFileSync(path.join(FIX, 'getting-started-requests.json'), 'utf8'));
    assert.deepEqual(apiRequests(loadFirecrackerConfig(path.join(FIX, 'getting-started-config.json'))), want);
  });

  test('null fields are left out and the wire form is HTTP/1.1 JSON', () => {
    const reqs = apiRequests(loadFirecrackerConfig(path.join(FIX, 'vm_config.json')));
    assert.deepEqual(reqs.map((r) => r.path), ['/boot-source', '/machine-config', '/drives/rootfs', '/actions']);
    assert.deepEqual(reqs[0].body, { kernel_image_path: 'vmlinux.bin', boot_args: 'console=ttyS0 reboot=k panic=1 pci=off' });
    const wire = wireRequest(reqs[3]);
    assert.ok(wire.startsWith('PUT /actions HTTP/1.1\r\n'));
    assert.ok(wire.endsWith('\r\n\r\n{"action_type":"InstanceStart"}'));
    assert.match(wire, /Content-Length: 31\r\n/);
  });

  test('the jailer command line and jail folder', () => {
    assert.deepEqual(jailerArgs({ jailer: 'jailer', firecracker: '/usr/local/bin/firecracker', id: 'vm-1', uid: 1000, gid: 1000, chrootBase: '/srv/jailer', firecrackerArgs: ['--api-sock', '/run/api.sock'] }), [
      '--id', 'vm-1', '--exec-file', '/usr/local/bin/firecracker', '--uid', '1000', '--gid', '1000', '--chroot-base-dir', '/srv/jailer', '--', '--api-sock', '/run/api.sock',
    ]);
    assert.equal(jailDir('/srv/jailer', '/usr/local/bin/firecracker', 'vm-1'), '/srv/jailer/firecracker/vm-1');
    assert.throws(() => jailerArgs({ jailer: 'j', firecracker: 'f', id: 'bad/id', uid: 0, gid: 0, chrootBase: '/', firecrackerArgs: [] }), /jailer id/);
  });

  test('the driver config for our own boots is valid Firecracker input, and support says it is untested', () => {
    const cfg = firecrackerConfigFor({ kernel: '/k/vmlinux', initrd: '/s/initrd.img', cpus: 1, memoryMiB: 256, drives: [{ id: 'data', path: '/d.img', readOnly: true }] });
    assert.deepEqual(validateFirecrackerConfig(cfg), []);
    const host = { collectedAt: '', collector: 'node' as const, arch: 'x64', kernelRelease: '', isRoot: true, uid: 0, binaries: {} };
    const s = firecrackerSupport(host);
    assert.equal(s.ok, false);
    assert.match(s.reason ?? '', /not been run against a real firecracker binary/);
  });
});

describe('Firecracker configs as engine input', () => {
  test('are recognised by their boot-source and refused with every bad field named', async () => {
    const { firecrackerSpecs, isFirecrackerConfigFile } = await import('../../../engine/vm/spec-request');
    assert.equal(isFirecrackerConfigFile(path.join(FIX, 'vm_config.json')), true);
    assert.equal(isFirecrackerConfigFile(path.join(FIX, 'getting-started-requests.json')), false);
    assert.equal(isFirecrackerConfigFile(path.join(FIX, 'README.md')), false);
    assert.equal(firecrackerSpecs(path.join(FIX, 'vm_config.json'), 'web')[0].name, 'web');
    assert.throws(() => firecrackerSpecs(path.join(FIX, 'unknown-field.json')), (e: Error) => e.name === 'EngineError' && /cache_typ/.test(e.message));
  });
});
