// Prerequisites for passing a host PCI device to a `vm` with vfio-pci: the device exists, the
// IOMMU put it in a group, it is bound to vfio-pci, and its /dev/vfio/<group> node is there.
// Each missing one is reported with the command that fixes it.
import { existsSync, readlinkSync } from 'node:fs';
import path from 'node:path';

export interface VfioProblem {
  device: string;
  message: string;
  fix?: string;
}

/** `01:00.0` -> `0000:01:00.0`; undefined when it isn't a PCI address. */
export function normalisePciAddress(addr: string): string | undefined {
  const m = addr.trim().toLowerCase().match(/^(?:([0-9a-f]{4}):)?([0-9a-f]{2}):([0-1][0-9a-f])\.([0-7])$/);
  return m ? `${m[1] ?? '0000'}:${m[2]}:${m[3]}.${m[4]}` : undefined;
}

function linkName(p: string): string | undefined {
  try {
    return path.basename(readlinkSync(p));
  } catch {
    return undefined;
  }
}

/** Checks every device; `root` lets tests point at a fake /sys and /dev tree. */
export function checkVfioDevices(devices: string[], root = '/'): VfioProblem[] {
  const problems: VfioProblem[] = [];
  for (const raw of devices) {
    const addr = normalisePciAddress(raw);
    if (!addr) {
      problems.push({ device: raw, message: `'${raw}' is not a PCI address (expected like 0000:01:00.0)`, fix: 'list devices with: lspci -D' });
      continue;
    }
    const dev = path.join(root, 'sys/bus/pci/devices', addr);
    if (!existsSync(dev)) {
      problems.push({ device: addr, message: `PCI device ${addr} does not exist on this host`, fix: 'list devices with: lspci -D' });
      continue;
    }
    const group = linkName(path.join(dev, 'iommu_group'));
    if (!group) {
      problems.push({ device: addr, message: `PCI device ${addr} has no IOMMU group: the IOMMU is off`, fix: 'enable VT-d/AMD-Vi in firmware and boot the host with intel_iommu=on iommu=pt (or amd_iommu=on)' });
      continue;
    }
    const driver = linkName(path.join(dev, 'driver'));
    if (driver !== 'vfio-pci') {
      problems.push({
        device: addr,
        message: `PCI device ${addr} is ${driver ? `bound to ${driver}` : 'bound to no driver'}, not vfio-pci`,
        fix: `modprobe vfio-pci && echo vfio-pci > /sys/bus/pci/devices/${addr}/driver_override && ${driver ? `echo ${addr} > /sys/bus/pci/devices/${addr}/driver/unbind && ` : ''}echo ${addr} > /sys/bus/pci/drivers_probe`,
      });
      continue;
    }
    if (!existsSync(path.join(root, 'dev/vfio', group))) problems.push({ device: addr, message: `/dev/vfio/${group} (IOMMU group of ${addr}) is missing`, fix: 'modprobe vfio-pci' });
  }
  return problems;
}
