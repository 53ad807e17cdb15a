// The Node host collector: gathers the raw facts doctor checks and drivers need into a
// HostSnapshot. It only looks (files, /proc, `--version` of runtimes); judging is doctor.ts's job.
import { accessSync, constants, existsSync, readFileSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BinaryFact, HostSnapshot } from './snapshot';
import { runCommand } from '../runner';
import { findWorkerd } from './workerd-path';
import { parseCgroupLayout, parseRunscFlags, parseVersion, parseNvidiaSmi, parseKvmModules } from './parse';

const RUNTIMES = ['runc', 'runsc', 'crun', 'busybox', 'qemu-system-x86_64', 'firecracker', 'nvidia-smi', 'bwrap'];
const VERSION_ARGS: Record<string, string[]> = { busybox: ['--help'], 'nvidia-smi': ['--version'], bwrap: ['--version'] };

export function which(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const dirs = [...(env.PATH ?? '').split(':'), '/usr/local/sbin', '/usr/sbin', '/sbin'];
  for (const d of dirs) {
    if (!d) continue;
    const p = path.join(d, name);
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch {
      // not here
    }
  }
  return undefined;
}

function read(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

async function version(name: string, p: string): Promise<string | undefined> {
  try {
    const r = await runCommand({ command: p, args: VERSION_ARGS[name] ?? ['--version'] }, { timeoutMs: 5000 });
    return parseVersion(name, r.stdout + r.stderr);
  } catch {
    return undefined;
  }
}

export interface CollectOptions {
  /** Skip facts only doctor needs (GPUs, IOMMU, nvidia-smi). */
  quick?: boolean;
}

export async function collectHost(opts: CollectOptions = {}): Promise<HostSnapshot> {
  const uid = typeof process.getuid === 'function' ? process.getuid() : -1;
  const binaries: Record<string, BinaryFact | undefined> = {};
  const names = opts.quick ? RUNTIMES.filter((n) => n !== 'nvidia-smi') : RUNTIMES;
  await Promise.all(
    names.map(async (n) => {
      const p = which(n);
      if (p) binaries[n] = { path: p, version: await version(n, p) };
    }),
  );
  const workerd = findWorkerd();
  if (workerd) binaries.workerd = { path: workerd, version: await version('workerd', workerd) };
  const snap: HostSnapshot = {
    collectedAt: new Date().toISOString(),
    collector: 'node',
    arch: os.arch() === 'x64' ? 'x86_64' : os.arch(),
    kernelRelease: os.release(),
    isRoot: uid === 0,
    uid,
    binaries,
    cgroup: parseCgroupLayout(read('/proc/self/mounts') ?? ''),
    userns: readUserns(),
  };
  if (binaries.runsc) {
    const r = await runCommand({ command: binaries.runsc.path, args: ['flags'] }, { timeoutMs: 5000 }).catch(() => undefined);
    if (r) snap.runsc = parseRunscFlags(r.stdout + r.stderr);
  }
  const cpuinfo = read('/proc/cpuinfo') ?? '';
  snap.kvm = {
    device: existsSync('/dev/kvm'),
    accessible: canOpen('/dev/kvm'),
    cpuFlags: /^flags\s*:.*\b(vmx|svm)\b/m.test(cpuinfo),
    modules: kvmModules(),
  };
  const mhz = /^cpu MHz\s*:\s*([\d.]+)/m.exec(cpuinfo);
  if (mhz) snap.cpuMhz = Number(mhz[1]);
  if (!opts.quick) {
    snap.gpus = collectGpus();
    if (binaries['nvidia-smi']) {
      const r = await runCommand({ command: binaries['nvidia-smi'].path, args: ['-L'] }, { timeoutMs: 10_000 }).catch(() => undefined);
      if (r && r.exitCode === 0) snap.gpus.nvidiaSmi = parseNvidiaSmi(r.stdout);
    }
    snap.iommuGroups = existsSync('/sys/kernel/iommu_groups') ? readdirSync('/sys/kernel/iommu_groups').length : 0;
  }
  return snap;
}

/** Loaded KVM modules: /proc/modules, or /sys/module where /proc/modules is absent. */
function kvmModules(): string[] {
  const proc = read('/proc/modules');
  if (proc !== undefined) return parseKvmModules(proc);
  try {
    return readdirSync('/sys/module').filter((m) => /^kvm/.test(m)).sort();
  } catch {
    return [];
  }
}

function readUserns(): boolean | undefined {
  const clone = read('/proc/sys/kernel/unprivileged_userns_clone');
  const max = read('/proc/sys/user/max_user_namespaces');
  if (clone !== undefined && clone.trim() === '0') return false;
  if (max !== undefined) return Number(max.trim()) > 0;
  return undefined;
}

function canOpen(file: string): boolean {
  try {
    accessSync(file, constants.R_OK | constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

function collectGpus(): NonNullable<HostSnapshot['gpus']> {
  const nvidiaDevices = existsSync('/dev') ? readdirSync('/dev').filter((n) => /^nvidia/.test(n)).map((n) => `/dev/${n}`).sort() : [];
  const pci: string[] = [];
  const base = '/sys/bus/pci/devices';
  if (existsSync(base)) {
    for (const dev of readdirSync(base)) {
      const cls = read(path.join(base, dev, 'class'))?.trim() ?? '';
      // 0x03xxxx: display controllers (VGA, 3D).
      if (!cls.startsWith('0x03')) continue;
      const vendor = read(path.join(base, dev, 'vendor'))?.trim().replace(/^0x/, '') ?? '?';
      const device = read(path.join(base, dev, 'device'))?.trim().replace(/^0x/, '') ?? '?';
      pci.push(`${dev} ${vendor}:${device}`);
    }
  }
  const driverVersion = read('/proc/driver/nvidia/version')?.match(/Kernel Module\s+(?:for \S+\s+)?([\d.]+)/)?.[1];
  return { nvidiaDevices, pci, driverVersion };
}
