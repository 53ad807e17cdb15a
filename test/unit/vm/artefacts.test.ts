import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { cleanVmCache, vmCacheReport } from '../../../engine/vm/cache';
import { baseImageEntries, baseImageKey, findBusybox, launchArchive } from '../../../engine/vm/initramfs';
import { readCpio } from '../../../engine/vm/cpio';
import { vmRequestFromSpec } from '../../../engine/vm/spec-request';
import type { SandboxSpec } from '../../../engine/spec/types';

describe('VM cache', () => {
  test('reports sizes; cleaning removes artefacts and keeps kernels unless asked', () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'vmcache-'));
    const env = { XDG_CACHE_HOME: root };
    try {
      const vm = path.join(root, 'isolation-spectrum', 'vm');
      mkdirSync(path.join(vm, 'artefacts'), { recursive: true });
      mkdirSync(path.join(vm, 'kernels', '6.1.0-56-amd64'), { recursive: true });
      writeFileSync(path.join(vm, 'artefacts', 'initramfs-base-x.cpio.gz'), Buffer.alloc(1000));
      writeFileSync(path.join(vm, 'kernels', '6.1.0-56-amd64', 'vmlinux'), Buffer.alloc(3000));
      const r = vmCacheReport(env);
      assert.deepEqual([r.path, r.artefactsBytes, r.kernelsBytes, r.kernels], [vm, 1000, 3000, ['6.1.0-56-amd64']]);
      assert.equal(cleanVmCache({}, env).removedBytes, 1000);
      assert.ok(existsSync(path.join(vm, 'kernels')));
      assert.equal(cleanVmCache({ kernels: true }, env).removedBytes, 3000);
      assert.ok(!existsSync(path.join(vm, 'kernels')));
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('initramfs contents', () => {
  const busybox = findBusybox();
  test('base image: busybox with applet links, /dev/console, modules and the rootfs tree', { skip: busybox ? false : 'busybox-static is not installed: apt-get install busybox-static' }, () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'rootfs-'));
    try {
      mkdirSync(path.join(root, 'etc'));
      writeFileSync(path.join(root, 'etc', 'marker'), 'from-rootfs');
      const mod = path.join(root, 'fake.ko');
      writeFileSync(mod, 'ko');
      const input = { busybox: busybox!, rootfsDir: root, modules: [{ host: mod, guest: '/lib/modules/6.1/kernel/fake.ko' }] };
      const names = new Map(baseImageEntries(input).map((e) => [e.name, e]));
      assert.equal(names.get('dev/console')?.type, 'chardev');
      assert.equal(names.get('bin/busybox')?.type, 'file');
      assert.deepEqual(names.get('bin/sh'), { type: 'symlink', name: 'bin/sh', target: 'busybox' });
      assert.ok(names.has('bin/insmod') && names.has('bin/poweroff'));
      assert.equal(names.get('lib/modules/6.1/kernel/fake.ko')?.type, 'file');
      assert.equal(names.get('etc/marker')?.type, 'file');
      const k1 = baseImageKey(input);
      writeFileSync(path.join(root, 'etc', 'marker'), 'changed!!!!');
      assert.notEqual(baseImageKey(input), k1, 'a rootfs change gives a new cache key');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  test('the per-launch archive holds just an executable /init', () => {
    const e = readCpio(zlib.gunzipSync(launchArchive('#!/bin/sh\necho hi\n')));
    assert.deepEqual(e.map((x) => [x.name, x.mode, x.data.toString()]), [['init', 0o100755, '#!/bin/sh\necho hi\n']]);
  });
});

describe('spec -> VM launch request', () => {
  const spec: SandboxSpec = {
    name: 'v', isolation: 'vm', image: 'busybox', command: ['uname', '-r'], env: { A: '1' }, mounts: [{ source: '/src', target: '/data', writable: false }],
    resources: { cpus: 2, memoryBytes: 512 * 1024 * 1024 }, network: 'outbound', readonly: true, container: { runtime: 'runc' }, gvisor: { platform: 'auto' },
    kernel: 'auto', microvm: { vmm: 'auto' }, devices: ['0000:01:00.0'], gpu: 'none', source: { file: '/x.sandbox.yaml', document: 0 },
  };
  test('maps level, resources, network, mounts and devices', () => {
    const { request } = vmRequestFromSpec(spec);
    assert.equal(request.machine, 'q35');
    assert.deepEqual([request.cpus, request.memoryMiB, request.network], [2, 512, 'outbound']);
    assert.deepEqual(request.devices, ['0000:01:00.0']);
    assert.deepEqual(request.mounts, spec.mounts);
  });
  test('without a command a VM runs a console shell; defaults are 1 vCPU and 256 MiB', () => {
    const { request } = vmRequestFromSpec({ ...spec, isolation: 'microvm', command: undefined, resources: {} });
    assert.equal(request.machine, 'microvm');
    assert.deepEqual(request.command, ['/bin/sh']);
    assert.deepEqual([request.cpus, request.memoryMiB], [1, 256]);
  });
});
