import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildQemuArgs, guestBootArgs, type QemuPlan } from '../../../engine/vm/qemu-args';

const plan: QemuPlan = {
  machine: 'microvm',
  accel: 'tcg',
  kernel: '/k/vmlinux',
  initrd: '/s/initrd.img',
  append: guestBootArgs('tcg', 2445428, 'microvm'),
  cpus: 2,
  memoryMiB: 256,
  drives: [],
  shares: [],
  network: 'none',
  serial: { kind: 'socket', socket: '/run/x/console.sock', log: '/state/x/console.log' },
  qmpSocket: '/run/x/qmp.sock',
  vfio: [],
};

function after(args: string[], flag: string): string[] {
  return args.flatMap((a, i) => (a === flag ? [args[i + 1]] : []));
}

describe('QEMU argv', () => {
  test('microvm: minimal profile, TCG timer arguments, no network, QMP and a logged socket console', () => {
    const a = buildQemuArgs(plan);
    assert.deepEqual(after(a, '-M'), ['microvm,accel=tcg,x-option-roms=off,pit=off,pic=off,rtc=on,isa-serial=on']);
    for (const f of ['-nodefaults', '-no-user-config', '-nographic', '-no-reboot']) assert.ok(a.includes(f), f);
    assert.deepEqual(after(a, '-smp'), ['2']);
    assert.deepEqual(after(a, '-m'), ['256M']);
    const append = after(a, '-append')[0];
    for (const w of ['console=ttyS0', 'quiet', 'panic=-1', 'pci=off', 'tsc_early_khz=2445428', 'tsc=reliable', 'no_timer_check', 'cryptomgr.notests']) assert.ok(append.split(' ').includes(w), w);
    assert.deepEqual(after(a, '-chardev'), ['socket,id=con0,path=/run/x/console.sock,server=on,wait=off,logfile=/state/x/console.log,logappend=on']);
    assert.deepEqual(after(a, '-serial'), ['chardev:con0']);
    assert.deepEqual(after(a, '-qmp'), ['unix:/run/x/qmp.sock,server=on,wait=off']);
    assert.ok(!a.includes('-netdev'));
  });

  test('KVM guests get the host CPU and no TCG timer arguments', () => {
    const a = buildQemuArgs({ ...plan, accel: 'kvm', append: guestBootArgs('kvm', 2445428, 'microvm') });
    assert.deepEqual(after(a, '-cpu'), ['host']);
    assert.ok(!after(a, '-append')[0].includes('tsc_early_khz'));
    assert.ok(!after(a, '-append')[0].includes('cryptomgr.notests'));
  });

  test('devices are virtio-mmio on microvm and virtio-pci on q35; drives carry their id as serial', () => {
    const withDev = { ...plan, drives: [{ id: 'data', path: '/d/a,b.img', readOnly: true }], network: 'outbound' as const, shares: [{ tag: 'm0', path: '/src', readOnly: true }] };
    const m = buildQemuArgs(withDev);
    assert.deepEqual(after(m, '-drive'), ['file=/d/a,,b.img,if=none,id=data,format=raw,cache=writeback,readonly=on']);
    assert.ok(after(m, '-device').includes('virtio-blk-device,drive=data,serial=data'));
    assert.ok(after(m, '-device').includes('virtio-net-device,netdev=net0'));
    assert.ok(after(m, '-device').includes('virtio-9p-device,fsdev=fs0,mount_tag=m0'));
    assert.deepEqual(after(m, '-netdev'), ['user,id=net0']);
    const q = buildQemuArgs({ ...withDev, machine: 'q35' });
    assert.deepEqual(after(q, '-M'), ['q35,accel=tcg']);
    assert.deepEqual(after(q, '-bios'), ['qboot.rom']);
    assert.ok(after(q, '-device').includes('virtio-blk-pci,drive=data,serial=data'));
    assert.ok(after(q, '-device').includes('virtio-net-pci,netdev=net0'));
  });

  test('q35 passes PCI devices through with vfio-pci (and SeaBIOS); microvm refuses them', () => {
    const q = buildQemuArgs({ ...plan, machine: 'q35', vfio: ['0000:01:00.0'] });
    assert.ok(after(q, '-device').includes('vfio-pci,host=0000:01:00.0'));
    assert.ok(!q.includes('-bios'));
    assert.throws(() => buildQemuArgs({ ...plan, vfio: ['0000:01:00.0'] }), /needs the vm level/);
  });

  test('socket paths over the sun_path limit and odd drive ids are refused', () => {
    assert.throws(() => buildQemuArgs({ ...plan, qmpSocket: `/${'x'.repeat(120)}/qmp.sock` }), /Unix socket limit/);
    assert.throws(() => buildQemuArgs({ ...plan, drives: [{ id: 'a,b', path: '/x', readOnly: false }] }), /drive id/);
    assert.throws(() => buildQemuArgs({ ...plan, cpus: 0 }), /vCPU/);
  });
});
