import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { doctorReport, gpuCheck, kvmCheck, iommuCheck, nvproxyCheck } from '../../../engine/host/doctor';
import { parseCgroupLayout, parseVersion, parseNvidiaSmi, parseKvmModules } from '../../../engine/host/parse';
import { parseStat, processTree } from '../../../engine/host/procfs';
import { DRIVERS } from '../../../engine/drivers/registry';
import { host, snapshot } from './helpers';

describe('doctor on this dev machine (recorded by the shell collector)', () => {
  const snap = snapshot('host-dev-shell.json');
  test('KVM from kvm_pvm without vmx/svm is not usable', () => {
    const k = kvmCheck(snap);
    assert.equal(k.ok, false);
    assert.match(k.detail, /kvm_pvm/);
  });
  test('hybrid cgroups, no GPU, no IOMMU, no nvproxy', () => {
    const r = doctorReport(snap, DRIVERS);
    const byName = Object.fromEntries(r.checks.map((c) => [c.name, c]));
    assert.match(byName.cgroups.detail, /hybrid/);
    assert.equal(byName.gpus.ok, false);
    assert.equal(byName.iommu.ok, false);
    assert.equal(byName.nvproxy.ok, false);
  });
  test('container and gvisor levels supported; isolate needs workerd the shell collector cannot see', () => {
    const r = doctorReport(snap, DRIVERS);
    const row = (isolation: string, runtime: string) => {
      const l = r.levels.find((x) => x.isolation === isolation && x.runtime === runtime);
      assert.ok(l, `no ${isolation}/${runtime} row among ${r.levels.map((x) => `${x.isolation}/${x.runtime}`).join(', ')}`);
      return l;
    };
    assert.equal(row('container', 'runc').support.ok, true);
    assert.equal(row('gvisor', 'runsc').support.ok, true);
    const isolate = row('isolate', 'workerd');
    assert.equal(isolate.support.ok, false);
    assert.match(isolate.support.reason ?? '', /workerd/);
    assert.match(isolate.support.fix ?? '', /npm/);
  });
  test('microvm and vm run on QEMU under TCG (kvm_pvm); Firecracker is not installed', () => {
    const r = doctorReport(snap, DRIVERS);
    for (const isolation of ['microvm', 'vm']) {
      const qemu = r.levels.find((l) => l.isolation === isolation && l.runtime === 'qemu');
      assert.ok(qemu, `no ${isolation}/qemu row`);
      assert.equal(qemu.support.ok, true, `${isolation}: ${JSON.stringify(qemu)}`);
      assert.match(qemu.support.reason ?? '', /TCG/);
    }
    const fc = r.levels.find((l) => l.isolation === 'microvm' && l.runtime === 'firecracker');
    assert.ok(fc, 'no microvm/firecracker row');
    assert.equal(fc.support.ok, false);
    assert.match(fc.support.reason ?? '', /not installed/);
  });
});

describe('doctor on the GPU machine snapshot', () => {
  const snap = snapshot('host-h200-described.json');
  test('one NVIDIA GPU found with its name and uvm', () => {
    const g = gpuCheck(snap);
    assert.equal(g.ok, true);
    assert.match(g.detail, /1 NVIDIA GPU\(s\): GPU 0: NVIDIA H200/);
    assert.match(g.detail, /uvm present/);
  });
  test('no IOMMU groups: no passthrough, with the fix', () => {
    const i = iommuCheck(snap);
    assert.equal(i.ok, false);
    assert.match(i.fix!, /intel_iommu=on/);
  });
  test('runsc missing there: nvproxy check says how to get it', () => {
    assert.equal(nvproxyCheck(snap).fix, 'apt-get install runsc');
  });
});

describe('GPU detection edge cases', () => {
  test('NVIDIA PCI device without device nodes: driver not loaded', () => {
    const g = gpuCheck(host({ gpus: { nvidiaDevices: [], pci: ['0000:01:00.0 10de:2335'] } }));
    assert.equal(g.ok, false);
    assert.match(g.detail, /driver is not loaded/);
  });
  test('a non-NVIDIA display controller is not a GPU for us', () => {
    assert.equal(gpuCheck(host({ gpus: { nvidiaDevices: [], pci: ['0000:00:02.0 1234:1111'] } })).ok, false);
  });
  test('KVM usable with vmx and kvm_intel', () => {
    assert.equal(kvmCheck(host({ kvm: { device: true, accessible: true, cpuFlags: true, modules: ['kvm', 'kvm_intel'] } })).ok, true);
  });
});

describe('collector parsers', () => {
  test('cgroup layouts', () => {
    assert.deepEqual(parseCgroupLayout('cgroup2 /sys/fs/cgroup cgroup2 rw 0 0\n'), { layout: 'v2', unifiedPath: '/sys/fs/cgroup' });
    assert.deepEqual(parseCgroupLayout('cgroup /sys/fs/cgroup/memory cgroup rw 0 0\ncgroup2 /sys/fs/cgroup/unified cgroup2 rw 0 0\n'), { layout: 'hybrid', unifiedPath: '/sys/fs/cgroup/unified' });
    assert.deepEqual(parseCgroupLayout(''), { layout: 'none' });
  });
  test('versions', () => {
    assert.equal(parseVersion('runc', 'runc version 1.1.5+ds1\ncommit: x\n'), '1.1.5+ds1');
    assert.equal(parseVersion('runsc', 'runsc version 0.0~20221219.0\nspec: 1.0.2-dev\n'), '0.0~20221219.0');
    assert.equal(parseVersion('workerd', 'workerd 2026-11-17\n'), '2026-11-17');
    assert.equal(parseVersion('qemu-system-x86_64', 'QEMU emulator version 7.2.22 (Debian)\n'), '7.2.22');
    assert.equal(parseVersion('busybox', 'BusyBox v1.35.0 (Debian 1:1.35.0-4+b3) multi-call binary.\n'), '1.35.0');
  });
  test('nvidia-smi -L and kvm modules', () => {
    assert.deepEqual(parseNvidiaSmi('GPU 0: NVIDIA H200 (UUID: GPU-1)\nGPU 1: NVIDIA H200 (UUID: GPU-2)\n'), ['GPU 0: NVIDIA H200 (UUID: GPU-1)', 'GPU 1: NVIDIA H200 (UUID: GPU-2)']);
    assert.deepEqual(parseKvmModules('kvm_intel 1 0 - Live\nkvm 2 1 kvm_intel, Live\nfoo 1 0\n'), ['kvm', 'kvm_intel']);
  });
  test('/proc stat with a command name holding spaces and parens', () => {
    const s = parseStat('42 (my (odd) cmd) S 7 42 42 0 -1 4194560 100 0 0 0 15 5 0 0 20 0 1 0 12345 1000000 250 18446744073709551615')!;
    assert.equal(s.pid, 42);
    assert.equal(s.ppid, 7);
    assert.equal(s.utime, 15);
    assert.equal(s.stime, 5);
    assert.equal(s.starttime, 12345);
    assert.equal(s.rssPages, 250);
  });
  test('process tree follows parent links', () => {
    const mk = (pid: number, ppid: number) => ({ pid, ppid, state: 'S', utime: 0, stime: 0, starttime: 0, rssPages: 1 });
    const tree = processTree(10, [mk(1, 0), mk(10, 1), mk(11, 10), mk(12, 11), mk(13, 1)]);
    assert.deepEqual(tree.map((s) => s.pid).sort(), [10, 11, 12]);
  });
});
