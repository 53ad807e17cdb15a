// A VM's device model as QMP reports it: the devices QOM holds under /machine (unattached,
// peripheral, peripheral-anon) and the PCI functions of `query-pci`. Pure parts unit-tested.
import type { QmpClient } from '../vm/qmp';

export interface QomProperty {
  name: string;
  type: string;
}

// QOM children that are plumbing, not devices a guest drives.
const NOT_DEVICES = /^(irq|container|memory-region|System|qemu:memory-region|.*-bus|.*-cpu|kvmvapic|apic|kvm-apic|.*-backend.*|pc-dimm)$/;

/** Device types among a `qom-list`'s children, e.g. `child<virtio-mmio>` -> virtio-mmio. */
export function childDevices(props: QomProperty[]): string[] {
  const out: string[] = [];
  for (const p of props) {
    const m = /^child<(.+)>$/.exec(p.type);
    if (m && !NOT_DEVICES.test(m[1])) out.push(m[1]);
  }
  return out;
}

export interface PciInfo {
  bus: number;
  devices: Array<{ bus: number; slot: number; function: number; qdev_id?: string; class_info?: { desc?: string; class?: number }; id?: { device: number; vendor: number }; pci_bridge?: { devices?: PciInfo['devices'] } }>;
}

/** `query-pci` functions as `bus:slot.fn vendor:device (class)`. */
export function pciDevices(buses: PciInfo[]): string[] {
  const out: string[] = [];
  const walk = (devs: PciInfo['devices']) => {
    for (const d of devs) {
      const hex = (n: number, w: number) => n.toString(16).padStart(w, '0');
      const id = d.id ? ` ${hex(d.id.vendor, 4)}:${hex(d.id.device, 4)}` : '';
      const desc = d.class_info?.desc ?? (d.class_info?.class !== undefined ? `class ${hex(d.class_info.class, 4)}` : 'device');
      out.push(`pci ${hex(d.bus, 2)}:${hex(d.slot, 2)}.${d.function}${id} ${desc}`);
      if (d.pci_bridge?.devices) walk(d.pci_bridge.devices);
    }
  };
  for (const b of buses) walk(b.devices);
  return out;
}

/** `name xN` for repeated types, sorted: a readable list that still counts every device. */
export function summarize(types: string[]): string[] {
  const counts = new Map<string, number>();
  for (const t of types) counts.set(t, (counts.get(t) ?? 0) + 1);
  return [...counts].sort(([a], [b]) => a.localeCompare(b)).map(([t, n]) => (n > 1 ? `${t} x${n}` : t));
}

export const QOM_DEVICE_PATHS = ['/machine/unattached', '/machine/peripheral', '/machine/peripheral-anon'];

/** Every device of the machine over one QMP connection. */
export async function queryDevices(c: QmpClient, timeoutMs: number): Promise<string[]> {
  const types: string[] = [];
  for (const p of QOM_DEVICE_PATHS) {
    const props = await c.execute<QomProperty[]>('qom-list', { path: p }, timeoutMs).catch(() => []);
    types.push(...childDevices(props));
  }
  const pci = await c.execute<PciInfo[]>('query-pci', undefined, timeoutMs).catch(() => []);
  return [...summarize(types), ...pciDevices(pci)];
}
