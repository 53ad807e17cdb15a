import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { checkVfioDevices, normalisePciAddress } from '../../../engine/vm/vfio';

/** A fake /sys + /dev: device 01:00.0 bound to vfio-pci in group 7, 02:00.0 to nvidia, 03:00.0 with no IOMMU. */
function fakeHost(): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'vfio-'));
  const devs = path.join(root, 'sys/bus/pci/devices');
  const add = (addr: string, group?: string, driver?: string) => {
    const d = path.join(devs, addr);
    mkdirSync(d, { recursive: true });
    if (group) symlinkSync(`../../../kernel/iommu_groups/${group}`, path.join(d, 'iommu_group'));
    if (driver) symlinkSync(`../../../bus/pci/drivers/${driver}`, path.join(d, 'driver'));
  };
  add('0000:01:00.0', '7', 'vfio-pci');
  add('0000:02:00.0', '8', 'nvidia');
  add('0000:03:00.0');
  mkdirSync(path.join(root, 'dev/vfio'), { recursive: true });
  writeFileSync(path.join(root, 'dev/vfio/7'), '');
  return root;
}

describe('VFIO prerequisites', () => {
  test('normalises PCI addresses', () => {
    assert.equal(normalisePciAddress('01:00.0'), '0000:01:00.0');
    assert.equal(normalisePciAddress('0000:3B:00.1'), '0000:3b:00.1');
    assert.equal(normalisePciAddress('gpu0'), undefined);
  });

  test('a device bound to vfio-pci with its group node passes', () => {
    const root = fakeHost();
    try {
      assert.deepEqual(checkVfioDevices(['01:00.0'], root), []);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  test('each missing prerequisite is named with its fix', () => {
    const root = fakeHost();
    try {
      const p = checkVfioDevices(['0000:02:00.0', '0000:03:00.0', '0000:09:00.0', 'gpu'], root);
      assert.equal(p.length, 4);
      assert.match(p[0].message, /bound to nvidia, not vfio-pci/);
      assert.match(p[0].fix ?? '', /driver_override/);
      assert.match(p[1].message, /no IOMMU group/);
      assert.match(p[1].fix ?? '', /intel_iommu=on/);
      assert.match(p[2].message, /does not exist/);
      assert.match(p[3].message, /not a PCI address/);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
