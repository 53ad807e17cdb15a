// The Node host collector: gathers the raw facts doctor checks and drivers need into a
// HostSnapshot. It only looks (files, /proc, `--version` of runtimes); judging is doctor.ts's job.
import { accessSync, constants, existsSync, readFileSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BinaryFact, HostSnapshot } from './snapshot';
import { runCommand } from '../runner';
import { BINARY_ENV, BINARY_NAMES, resolveBinary } from './binaries';
import { binaryKey, cachedFacts, loadCache, saveCache, type BinaryKey, type CacheEntry, type ProbeFacts } from './probe-cache';
import { parseCgroupLayout, parseRunscFlags, parseVersion, parseNvidiaSmi, parseKvmModules } from './parse';

export { which } from './binaries';

const VERSION_ARGS: Record<string, string[]> = { busybox: ['--help'], 'nvidia-smi': ['--version'], bwrap: ['--version'] };

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

/** Starts the binary to learn what it is: its version, and what only its own help tells. */
async function probe(name: string, p: string, quick: boolean): Promise<ProbeFacts> {
  const facts: ProbeFacts = {};
  const extra = async () => {
    if (name === 'runsc') {
      const r = await runCommand({ command: p, args: ['flags'] }, { timeoutMs: 5000 }).catch(() => undefined);
      if (r) facts.runsc = parseRunscFlags(r.stdout + r.stderr);
    } else if (name === 'nvidia-smi' && !quick) {
      const r = await runCommand({ command: p, args: ['-L'] }, { timeoutMs: 10_000 }).catch(() => undefined);
      // An empty list when it fails: asked and answered, so a warm doctor does not ask again.
      facts.nvidiaSmi = r && r.exitCode === 0 ? parseNvidiaSmi(r.stdout) : [];
    }
  };
  // Both at once: a launch waits on the slower one, not their sum.
  const [v] = await Promise.all([version(name, p), extra()]);
  facts.version = v;
  return facts;
}

export interface CollectOptions {
  /** Skip facts only doctor needs (GPUs, IOMMU, nvidia-smi). */
  quick?: boolean;
  /** The engine's environment: PATH and the SPECTRUM_<RUNTIME> variables decide the binaries. */
  env?: NodeJS.ProcessEnv;
  /**
   * Where probe results are cached (probe-cache.ts). Without it every binary is probed. With it
   * a binary is started only when its key changed since it was last probed.
   */
  cacheFile?: string;
  /**
   * Binaries to probe when the cache has nothing valid for them (a launch: its level's); the
   * others are still located, and carry cached facts when there are some. Default: all.
   */
  probe?: readonly string[];
  /** Probe every binary again, whatever the cache holds (and store the results). */
  refresh?: boolean;
}

export async function collectHost(opts: CollectOptions = {}): Promise<HostSnapshot> {
  const env = opts.env ?? process.env;
  const quick = Boolean(opts.quick);
  const uid = typeof process.getuid === 'function' ? process.getuid() : -1;
  const names = quick ? BINARY_NAMES.filter((n) => n !== 'nvidia-smi') : [...BINARY_NAMES];
  const cache = opts.cacheFile ? loadCache(opts.cacheFile) : undefined;
  const binaries: Record<string, BinaryFact | undefined> = {};
  const probed: Record<string, CacheEntry> = {};
  let runscFacts: HostSnapshot['runsc'];
  let nvidiaSmi: string[] | undefined;
  await Promise.all(
    names.map(async (n) => {
      const p = resolveBinary(n, env);
      if (!p) return;
      const key: BinaryKey | undefined = binaryKey(p);
      let facts = cache && key && !opts.refresh ? cachedFacts(cache, n, key) : undefined;
      // nvidia-smi -L is only asked for by full snapshots: a quick probe's entry lacks it.
      if (facts && n === 'nvidia-smi' && !quick && !facts.nvidiaSmi) facts = undefined;
      if (!facts && (!opts.probe || opts.probe.includes(n) || opts.refresh)) {
        facts = await probe(n, p, quick);
        if (key) probed[n] = { ...key, ...facts };
      }
      binaries[n] = { path: p, ...(facts?.version !== undefined ? { version: facts.version } : {}) };
      if (n === 'runsc') runscFacts = facts?.runsc;
      if (n === 'nvidia-smi') nvidiaSmi = facts?.nvidiaSmi;
    }),
  );
  if (opts.cacheFile && Object.keys(probed).length) {
    // Merge with what others stored meanwhile (another command may have probed other binaries).
    const now = loadCache(opts.cacheFile);
    saveCache(opts.cacheFile, { ...now, entries: { ...now.entries, ...probed } });
  }
  // A configured path that is not an executable is the user's to fix: launches say so by name
  // (drivers/registry.ts) rather than "not installed".
  const configuredUnusable = Object.fromEntries(Object.entries(BINARY_ENV).filter(([n, v]) => env[v] && !binaries[n]).map(([n, v]) => [n, `${v}=${env[v]}`]));
  const snap: HostSnapshot = {
    ...(Object.keys(configuredUnusable).length ? { configuredUnusable } : {}),
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
  if (runscFacts) snap.runsc = runscFacts;
  const cpuinfo = read('/proc/cpuinfo') ?? '';
  snap.kvm = {
    device: existsSync('/dev/kvm'),
    accessible: canOpen('/dev/kvm'),
    cpuFlags: /^flags\s*:.*\b(vmx|svm)\b/m.test(cpuinfo),
    modules: kvmModules(),
  };
  const mhz = /^cpu MHz\s*:\s*([\d.]+)/m.exec(cpuinfo);
  if (mhz) snap.cpuMhz = Number(mhz[1]);
  if (!quick) {
    snap.gpus = collectGpus();
    if (nvidiaSmi) snap.gpus.nvidiaSmi = nvidiaSmi;
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
