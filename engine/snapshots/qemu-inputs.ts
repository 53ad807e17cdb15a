// What a QEMU snapshot depends on. QEMU's migration stream holds RAM and device state but not the
// machine it was taken on: a restore needs the same QEMU, machine type, accelerator, memory size,
// vCPUs, and the same kernel, modules and disk image the guest's memory already refers to. They
// are recorded with a hash at snapshot time and compared key by key at restore, so a refusal
// names what changed instead of letting QEMU fail half-way through loading.
import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import type { LaunchPlan } from '../drivers/driver';
import { EngineError } from '../errors';

export interface QemuInputs {
  qemuVersion: string;
  machine: string;
  accelerator: string;
  memoryMiB: number;
  vcpus: number;
  /** The guest kernel file: path, size and mtime (hashing ~60 MB on every warm start would cost more than the restore). */
  kernel: string;
  /** The initramfs's kernel modules (they decide the guest's drivers and so its devices). */
  modules: string;
  /** The disk image the guest runs in, or `none` (busybox initramfs). */
  image: string;
  network: string;
}

/** Human names of the keys, for refusals. */
const LABEL: Record<keyof QemuInputs, string> = {
  qemuVersion: 'QEMU version',
  machine: 'machine type',
  accelerator: 'accelerator',
  memoryMiB: 'guest memory (MiB)',
  vcpus: 'vCPUs',
  kernel: 'guest kernel',
  modules: 'initramfs modules',
  image: 'disk image',
  network: 'network',
};

function fileIdentity(p: string | undefined): string {
  if (!p) return 'none';
  try {
    const st = statSync(p);
    return `${p} size=${st.size} mtime=${Math.round(st.mtimeMs)}`;
  } catch {
    return `${p} (missing)`;
  }
}

/** The inputs of a prepared QEMU plan (the driver's `extra` names them). */
export function qemuInputs(plan: LaunchPlan): QemuInputs {
  const x = plan.extra ?? {};
  const str = (v: unknown) => (typeof v === 'string' ? v : 'unknown');
  const image = typeof x.imageDisk === 'string' ? x.imageDisk : typeof plan.rootfs === 'string' && plan.rootfs !== 'busybox' ? plan.rootfs : undefined;
  return {
    qemuVersion: plan.runtimeVersion ?? 'unknown',
    machine: str(x.machine),
    accelerator: str(x.accelerator),
    memoryMiB: Number(x.memoryMiB),
    vcpus: Number(x.vcpus),
    kernel: fileIdentity(typeof x.kernel === 'string' ? x.kernel : undefined),
    modules: Array.isArray(x.modules) ? (x.modules as string[]).join(',') : '',
    image: fileIdentity(image),
    network: plan.network,
  };
}

export function inputsHash(i: QemuInputs): string {
  const keys = Object.keys(LABEL) as (keyof QemuInputs)[];
  return createHash('sha256').update(JSON.stringify(keys.map((k) => [k, i[k]]))).digest('hex');
}

/** Throws, naming every input that differs, when `now` can't load a snapshot taken with `saved`. */
export function checkInputs(snapshot: string, saved: QemuInputs, savedHash: string, now: QemuInputs): void {
  const keys = Object.keys(LABEL) as (keyof QemuInputs)[];
  const changed = keys.filter((k) => String(saved[k]) !== String(now[k]));
  if (changed.length) {
    const what = changed.map((k) => `${LABEL[k]}: the snapshot has ${saved[k]}, this host has ${now[k]}`).join('; ');
    throw new EngineError(`snapshot ${snapshot} can't be restored here: its inputs changed (${what}); QEMU loads a snapshot only into the same machine`, [], 'take a new snapshot (spectrum snapshot ID), or delete this one (spectrum snapshots rm NAME)');
  }
  if (inputsHash(saved) !== savedHash) throw new EngineError(`snapshot ${snapshot} can't be restored: its recorded inputs don't match their hash (snapshot.json was edited or damaged)`, [], `delete it: spectrum snapshots rm ${snapshot}`);
}
