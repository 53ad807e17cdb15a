// Which fields each isolation level needs, keeps or drops: the one table behind the
// "Move to isolation level..." refactoring and the "has no effect at this level" rule.
import type { Isolation } from './types';
import { ISOLATION_LEVELS } from './types';

export type FieldRole = 'needs' | 'keeps' | 'drops';

type Row = Record<Isolation, FieldRole>;
const all = (r: FieldRole): Row => ({ isolate: r, container: r, gvisor: r, microvm: r, vm: r });

export const LEVEL_FIELDS: Record<string, Row> = {
  name: all('needs'),
  isolation: all('needs'),
  // Isolates run JS/Wasm modules: no rootfs, no binaries, no host files.
  worker: { isolate: 'needs', container: 'drops', gvisor: 'drops', microvm: 'drops', vm: 'drops' },
  compatibilityDate: { isolate: 'keeps', container: 'drops', gvisor: 'drops', microvm: 'drops', vm: 'drops' },
  image: { isolate: 'drops', container: 'needs', gvisor: 'needs', microvm: 'needs', vm: 'needs' },
  command: { isolate: 'drops', container: 'keeps', gvisor: 'keeps', microvm: 'keeps', vm: 'keeps' },
  entrypoint: { isolate: 'drops', container: 'keeps', gvisor: 'keeps', microvm: 'keeps', vm: 'keeps' },
  mounts: { isolate: 'drops', container: 'keeps', gvisor: 'keeps', microvm: 'keeps', vm: 'keeps' },
  readonly: { isolate: 'drops', container: 'keeps', gvisor: 'keeps', microvm: 'keeps', vm: 'keeps' },
  env: all('keeps'),
  resources: all('keeps'),
  network: all('keeps'),
  ports: all('keeps'),
  timeout: all('keeps'),
  start: all('keeps'),
  // gVisor runs the same OCI bundle, but through runsc: the runc choice no longer applies.
  container: { isolate: 'drops', container: 'keeps', gvisor: 'drops', microvm: 'drops', vm: 'drops' },
  gvisor: { isolate: 'drops', container: 'drops', gvisor: 'keeps', microvm: 'drops', vm: 'drops' },
  kernel: { isolate: 'drops', container: 'drops', gvisor: 'drops', microvm: 'keeps', vm: 'keeps' },
  microvm: { isolate: 'drops', container: 'drops', gvisor: 'drops', microvm: 'keeps', vm: 'drops' },
  // PCI passthrough needs PCI: only the full VM has it.
  devices: { isolate: 'drops', container: 'drops', gvisor: 'drops', microvm: 'drops', vm: 'keeps' },
  // NVProxy (gvisor), device nodes (container), VFIO (vm); a microvm has no PCI and an isolate no devices.
  gpu: { isolate: 'drops', container: 'keeps', gvisor: 'keeps', microvm: 'drops', vm: 'keeps' },
};

/** Values added for a field the target level needs and the document lacks. */
export const NEEDED_DEFAULTS: Record<string, string> = {
  worker: './worker.js',
  image: 'busybox',
};

/** The least memory a guest kernel plus our initramfs boots in (bytes). */
// Measured: a Debian 6.1 guest with 64 MiB hangs in early boot under QEMU microvm; 96 MiB boots.
export const MIN_GUEST_MEMORY: Partial<Record<Isolation, number>> = {
  microvm: 96 * 1024 * 1024,
  vm: 128 * 1024 * 1024,
};

export function roleOf(field: string, level: Isolation): FieldRole {
  return LEVEL_FIELDS[field]?.[level] ?? 'keeps';
}

export function isIsolation(v: unknown): v is Isolation {
  return typeof v === 'string' && (ISOLATION_LEVELS as readonly string[]).includes(v);
}
