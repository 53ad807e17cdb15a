// Parsers of what runsc and QMP report: the Sentry's syscall list, its filter log line, the
// device model (qom-list children, query-pci), writable drives, the guest kernel banner.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseFilterLog, parseRunscSyscalls } from '../../../engine/surface/gvisor';
import { childDevices, pciDevices, summarize } from '../../../engine/surface/vm-devices';
import { writableDrives } from '../../../engine/surface/vm';
import { findBanner } from '../../../engine/surface/guest-release';

describe('gVisor', () => {
  test('runsc help syscalls (recorded, release 20221219): amd64 rows only', () => {
    const s = parseRunscSyscalls(readFileSync(path.join(__dirname, 'fixtures', 'runsc-20221219.syscalls.csv'), 'utf8'));
    assert.deepEqual(s, { full: 219, partial: 49, of: 350 });
  });

  test('an empty or foreign listing is an error', () => {
    assert.throws(() => parseRunscSyscalls('OS,Arch,Num,Name,Support,Note\nlinux,arm64,0,io_setup,Full Support,x\n'), /no amd64/);
  });

  test('the filter count from a debug log line', () => {
    const log = 'I1202 02:37:01.111664   20960 seccomp.go:60] Installing seccomp filters for 69 syscalls (action=kill process)\nD1202 ... syscall filter read: [] => 0x616c6c6f77\n';
    assert.equal(parseFilterLog(log), 69);
    assert.equal(parseFilterLog('nothing here'), undefined);
  });
});

describe('VM device model', () => {
  test('qom-list children: devices kept, plumbing (irq, buses, memory regions, CPUs) left out', () => {
    const props = [
      { name: 'type', type: 'string' },
      { name: 'device[4]', type: 'child<virtio-mmio>' },
      { name: 'device[5]', type: 'child<virtio-mmio>' },
      { name: 'non-qdev-gpio[10]', type: 'child<irq>' },
      { name: 'device[29]', type: 'child<mc146818rtc>' },
      { name: 'device[0]', type: 'child<max-x86_64-cpu>' },
      { name: 'sysbus', type: 'child<System>' },
      { name: 'isa-bus', type: 'child<ISA-bus>' },
      { name: 'ioport', type: 'child<qemu:memory-region>' },
      { name: 'serial', type: 'link<isa-serial>' },
    ];
    assert.deepEqual(summarize(childDevices(props)), ['mc146818rtc', 'virtio-mmio x2']);
  });

  test('query-pci functions, bridges walked', () => {
    const pci = [
      {
        bus: 0,
        devices: [
          { bus: 0, slot: 0, function: 0, class_info: { desc: 'Host bridge', class: 0x600 }, id: { vendor: 0x8086, device: 0x29c0 } },
          { bus: 0, slot: 0x1e, function: 0, class_info: { class: 0x604 }, id: { vendor: 0x1b36, device: 0xe }, pci_bridge: { devices: [{ bus: 1, slot: 1, function: 0, class_info: { desc: 'SCSI controller' }, id: { vendor: 0x1af4, device: 0x1001 } }] } },
        ],
      },
    ];
    assert.deepEqual(pciDevices(pci), ['pci 00:00.0 8086:29c0 Host bridge', 'pci 00:1e.0 1b36:000e class 0604', 'pci 01:01.0 1af4:1001 SCSI controller']);
  });

  test('only drives the guest can write count as writable', () => {
    const blocks = [
      { device: '', qdev: '/machine/peripheral-anon/device[0]/virtio-backend', inserted: { ro: false, file: '/state/disk.img' } },
      { device: 'ro0', inserted: { ro: true, file: '/cache/image.ext4' } },
      { device: 'floppy0' },
    ];
    assert.deepEqual(writableDrives(blocks), ['/machine/peripheral-anon/device[0]/virtio-backend: /state/disk.img']);
  });

  test('the kernel banner in a slice of guest memory', () => {
    const mem = Buffer.concat([Buffer.alloc(1000), Buffer.from('Linux version 6.1.0-57-amd64 (debian-kernel@lists.debian.org) (gcc-12)\0'), Buffer.alloc(10)]);
    assert.equal(findBanner(mem), '6.1.0-57-amd64');
    assert.equal(findBanner(Buffer.from('Linux version %s (%s)')), undefined);
  });
});
