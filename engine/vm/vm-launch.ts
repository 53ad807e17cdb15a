// Turns what a VM launch asks for into boot artefacts and a QEMU plan: resolves the kernel,
// picks the modules the devices need, builds (or reuses) the base initramfs, writes the
// per-launch initrd with its /init, and chooses KVM or TCG.
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { type GuestKernel, KernelError, resolveGuestKernel } from './guest-kernel';
import { ensureBaseImage, findBusybox, writeInitrd } from './initramfs';
import { type GuestDrive, type GuestImageRun, type GuestShare, newNonce, renderInit } from './init-script';
import { agentDescription, findAgentBinary } from './agent-binary';
import { FEATURE_MODULES, parseModulesBuiltin, parseModulesDep, resolveModules } from './modules';
import { type Accel, guestBootArgs, type Machine, type QemuDrive, type QemuPlan } from './qemu-args';
import { hostTscKhz } from './tsc';
import { probeKvm } from './kvm';

/**
 * Below these a Debian guest kernel doesn't reach /init (measured: 64 MiB hangs in early boot on
 * -M microvm, 96 MiB boots with 48 MiB left to userspace).
 */
export const MIN_GUEST_MEMORY_MIB: Record<Machine, number> = { microvm: 96, q35: 128 };
export const DEFAULT_GUEST_MEMORY_MIB = 256;

export interface VmDriveRequest {
  id: string;
  path: string;
  readOnly: boolean;
  /** Where /init mounts it; undefined leaves it unmounted. */
  mountAt?: string;
  cache?: QemuDrive['cache'];
  snapshot?: boolean;
}

export interface VmLaunchRequest {
  machine: Machine;
  kernel: string;
  command: string[];
  env: Record<string, string>;
  /** `busybox`, a directory packed into the initramfs, or a disk image the command runs in. */
  image?: string;
  /** Attach a disk `image` read-only (the spec's `readonly`); writable only when asked. */
  readonly?: boolean;
  mounts: { source: string; target: string; writable: boolean }[];
  cpus: number;
  memoryMiB: number;
  network: 'none' | 'outbound' | 'host';
  devices: string[];
  drives: VmDriveRequest[];
  /** Kernel arguments beyond ours (a Firecracker config's boot_args). */
  bootArgs: string[];
  mac?: string;
  rng?: boolean;
  /** Mount point of the drive the command runs chrooted in (a Firecracker root drive). */
  rootDrive?: string;
  accel?: 'auto' | Accel;
  preferBzImage?: boolean;
  /** Start the guest agent (exec and cp) when the kernel has its virtio-serial driver. */
  agent?: boolean;
  /** `image` is an OCI image's cached disk (engine/vm/image-launch.ts): never written, command run as the image says. */
  imageRun?: GuestImageRun;
}

export interface PreparedVm {
  plan: QemuPlan;
  nonce: string;
  kernel: GuestKernel;
  initrd: string;
  accel: Accel;
  accelReason: string;
  modules: string[];
  /** The guest agent runs (the kernel had virtio_console): the plan's agentSocket must be set. */
  agent: boolean;
  /** For inspect: which agent runs, or why none does (when one was asked for). */
  agentNote?: string;
}

export class VmLaunchError extends Error {
  constructor(message: string, readonly fix?: string) {
    super(message);
    this.name = 'VmLaunchError';
  }
}

function modulesFor(kernel: GuestKernel, machine: Machine, req: VmLaunchRequest, hasDisk: boolean): string[] {
  const bus = machine === 'microvm' ? 'mmio' : 'pci';
  const wanted: string[] = [];
  if (hasDisk) wanted.push(...FEATURE_MODULES[`${bus}-disk`], ...FEATURE_MODULES.ext4);
  if (req.mounts.length) wanted.push(bus === 'mmio' ? 'virtio_mmio' : 'virtio_pci', ...FEATURE_MODULES['9p']);
  if (req.network === 'outbound') wanted.push(...FEATURE_MODULES[`${bus}-net`]);
  if (req.rng) wanted.push(bus === 'mmio' ? 'virtio_mmio' : 'virtio_pci', ...FEATURE_MODULES.rng);
  if (req.agent && agentModuleIn(kernel)) wanted.push(bus === 'mmio' ? 'virtio_mmio' : 'virtio_pci', ...FEATURE_MODULES.agent);
  if (wanted.length === 0) return [];
  // A kernel we know nothing about (a custom Firecracker-style build) has its drivers built in.
  if (!kernel.modulesDir) return [];
  const builtinPath = path.join(kernel.modulesDir, 'modules.builtin');
  const builtin = existsSync(builtinPath) ? parseModulesBuiltin(readFileSync(builtinPath, 'utf8')) : new Set<string>();
  const dep = parseModulesDep(readFileSync(path.join(kernel.modulesDir, 'modules.dep'), 'utf8'));
  return resolveModules(dep, wanted, builtin);
}

/** A kernel cached before the agent existed lacks virtio_console: then the VM runs without one. */
function agentModuleIn(kernel: GuestKernel): boolean {
  if (!kernel.modulesDir) return true;
  const has = (f: string) => existsSync(path.join(kernel.modulesDir!, f)) && readFileSync(path.join(kernel.modulesDir!, f), 'utf8').includes('/virtio_console.ko');
  return has('modules.dep') || has('modules.builtin');
}

export async function prepareVm(req: VmLaunchRequest, runDir: string, env: NodeJS.ProcessEnv = process.env): Promise<PreparedVm> {
  const minMiB = MIN_GUEST_MEMORY_MIB[req.machine];
  if (req.memoryMiB < minMiB)
    throw new VmLaunchError(`${req.memoryMiB} MiB is too little memory for a guest kernel (a ${req.machine === 'q35' ? 'vm' : 'microvm'} needs at least ${minMiB} MiB)`, `set resources.memory to ${DEFAULT_GUEST_MEMORY_MIB}Mi`);
  if (req.network === 'host') throw new VmLaunchError('network: host is not possible for a VM (it has its own kernel and network stack)', 'use network: outbound (user-mode networking) or none');
  if (req.devices.length && req.machine !== 'q35') throw new VmLaunchError('devices: (PCI passthrough) needs isolation: vm; the microvm profile has no PCI bus', 'set isolation: vm');
  const busybox = findBusybox();
  if (!busybox) throw new VmLaunchError('busybox-static is not installed (the initramfs needs it)', 'apt-get install busybox-static');
  let kernel: GuestKernel;
  try {
    kernel = await resolveGuestKernel(req.kernel, { preferBzImage: req.preferBzImage, env });
  } catch (e) {
    if (e instanceof KernelError) throw new VmLaunchError(e.message, e.fix);
    throw e;
  }

  let rootfsDir: string | undefined;
  const drives: VmDriveRequest[] = [...req.drives];
  let chroot: string | undefined = req.rootDrive;
  if (req.image && req.image !== 'busybox') {
    if (!existsSync(req.image)) throw new VmLaunchError(`image ${req.image} does not exist`);
    if (statSync(req.image).isDirectory()) rootfsDir = req.image;
    else {
      drives.unshift({ id: 'rootfs', path: req.image, readOnly: req.readonly ?? false, snapshot: Boolean(req.imageRun), mountAt: '/mnt/rootfs' });
      chroot = '/mnt/rootfs';
    }
  }
  for (const d of drives) if (!existsSync(d.path)) throw new VmLaunchError(`drive ${d.id}: ${d.path} does not exist`);

  const modules = modulesFor(kernel, req.machine, req, drives.length > 0);
  const guestModule = (rel: string) => `/lib/modules/${kernel.release ?? 'unknown'}/${rel}`;
  // The compiled agent (engine/vm/agent/agent.c, built into dist/): none built means no agent.
  const agentBinary = req.agent ? findAgentBinary(env) : undefined;
  const agent = Boolean(agentBinary && agentModuleIn(kernel));
  const base = ensureBaseImage({ busybox, rootfsDir, agent: agent ? agentBinary : undefined, modules: modules.map((rel) => ({ host: path.join(kernel.modulesDir!, rel), guest: guestModule(rel) })) }, env);

  const shares: GuestShare[] = req.mounts.map((m, i) => ({ tag: `m${i}`, target: m.target, readOnly: !m.writable }));
  // Only the drive the command runs in must mount; a data drive may hold no filesystem.
  const guestDrives: GuestDrive[] = drives.map((d) => ({ serial: d.id, mountAt: d.mountAt, readOnly: d.readOnly, optional: d.mountAt !== chroot }));
  const nonce = newNonce();
  const init = renderInit({ nonce, command: req.command, env: req.env, modules: modules.map(guestModule), drives: guestDrives, shares, network: req.network, chroot, run: req.imageRun, agent });
  const initrd = path.join(runDir, 'initrd.img');
  writeInitrd(base.path, init, initrd);

  const kvm = probeKvm();
  const accel: Accel = req.accel && req.accel !== 'auto' ? req.accel : kvm.usable ? 'kvm' : 'tcg';
  const plan: QemuPlan = {
    machine: req.machine,
    accel,
    kernel: kernel.path,
    initrd,
    append: [...guestBootArgs(accel, hostTscKhz(), req.machine), ...req.bootArgs.filter((a) => a !== 'pci=off')],
    cpus: req.cpus,
    memoryMiB: req.memoryMiB,
    drives: drives.map((d) => ({ id: d.id, path: d.path, readOnly: d.readOnly, cache: d.cache, snapshot: d.snapshot })),
    shares: req.mounts.map((m, i) => ({ tag: `m${i}`, path: m.source, readOnly: !m.writable })),
    network: req.network,
    mac: req.mac,
    rng: req.rng,
    serial: { kind: 'file', log: path.join(runDir, 'console.log') },
    vfio: req.devices,
  };
  return { plan, nonce, kernel, initrd, accel, accelReason: accel === 'kvm' ? kvm.reason : req.accel === 'tcg' ? 'TCG requested' : kvm.reason, modules, agent, agentNote: req.agent ? agentDescription(agentBinary, agentModuleIn(kernel)) : undefined };
}
