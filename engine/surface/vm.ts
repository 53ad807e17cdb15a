// microvm and vm levels: the workload's syscalls go to its own guest kernel; the host is reached
// through VM exits (KVM) or QEMU's emulator (TCG), and through the device model the VMM emulates.
// Measured over QMP (devices, writable drives, the guest's own kernel banner) and from the VMM
// process (its seccomp filter, capabilities, namespaces).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { QmpClient } from '../vm/qmp';
import type { AttackSurface } from './types';
import type { SurfaceTarget } from './target';
import { hostSyscallTable } from './syscall-table';
import { processFacts } from './host-process';
import { queryDevices } from './vm-devices';
import { guestRelease } from './guest-release';

const QMP_TIMEOUT_MS = 5000;

interface BlockInfo {
  device: string;
  qdev?: string;
  inserted?: { ro: boolean; file: string };
}

/** Drives the guest can write, as `qdev-or-device: host file`. */
export function writableDrives(blocks: BlockInfo[]): string[] {
  return blocks.filter((b) => b.inserted && !b.inserted.ro).map((b) => `${b.qdev || b.device}: ${b.inserted!.file}`);
}

export async function vmSurface(t: SurfaceTarget): Promise<Omit<AttackSurface, 'verdict'>> {
  const notes: string[] = [];
  const socket = t.plan.extra?.qmpSocket as string | undefined;
  if (!socket) throw new Error(`${t.id} has no QMP socket (its VMM does not offer one)`);
  const c = await QmpClient.connect(socket, QMP_TIMEOUT_MS);
  let devices: string[];
  let drives: string[];
  let release: string | undefined;
  try {
    devices = await queryDevices(c, QMP_TIMEOUT_MS);
    drives = writableDrives(await c.execute<BlockInfo[]>('query-block', undefined, QMP_TIMEOUT_MS).catch(() => []));
    // The banner does not change while the VM runs: read guest memory once per sandbox.
    const memo = path.join(t.runDir, 'surface-guest-release');
    release = existsSync(memo) ? readFileSync(memo, 'utf8') : undefined;
    if (!release) {
      const mem = await c.execute<{ 'base-memory': number }>('query-memory-size-summary', undefined, QMP_TIMEOUT_MS);
      mkdirSync(t.runDir, { recursive: true });
      release = await guestRelease(c, t.runDir, mem['base-memory'], QMP_TIMEOUT_MS);
      if (release) writeFileSync(memo, release);
    }
  } finally {
    c.close();
  }
  if (!release) notes.push('no kernel banner found in guest memory; the release shown is the kernel file booted');
  const vmm = processFacts(t.pid);
  const table = hostSyscallTable();
  const implemented = table.implemented ? table.names.filter((n) => table.implemented!.has(n)).length : table.names.length;
  const accel = t.plan.extra?.accelerator === 'kvm' ? 'kvm' : 'tcg';
  const vmmName = String(t.plan.extra?.vmm ?? t.runtime);
  return {
    id: t.id,
    isolation: t.isolation,
    runtime: t.runtime,
    kernel: {
      kind: 'guest',
      release: release ?? String(t.plan.extra?.kernelRelease ?? 'unknown'),
      source: release ? 'the banner in guest memory (QMP pmemsave)' : 'the kernel file booted',
    },
    syscalls: {
      reachable: 0,
      of: table.names.length,
      source: 'the workload\'s syscalls are served by its guest kernel',
      interface: accel,
      host:
        vmm.status.seccomp === 2
          ? { reachable: implemented, of: table.names.length, source: `${vmmName} runs under a seccomp filter (${vmm.status.seccompFilters ?? '?'}) that cannot be read back: counted as unfiltered, an upper bound` }
          : { reachable: implemented, of: table.names.length, source: `${vmmName} runs without a seccomp filter: a device-model bug reaches every host syscall` },
    },
    devices,
    capabilities: vmm.capabilities,
    namespaces: vmm.namespaces,
    writableMounts: drives,
    measured: { pid: t.pid, what: `the VMM (${vmmName}, ${accel === 'kvm' ? 'KVM' : 'TCG: guest code is translated by QEMU in user space'})` },
    ...(notes.length ? { notes } : {}),
  };
}
