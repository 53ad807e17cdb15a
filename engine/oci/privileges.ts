// Judges an OCI bundle given as is, by allow-list: every field of config.json is either known to
// keep the container inside its sandbox, or it is named here as a privilege. `up` refuses a
// bundle with any of these unless the user passed --unsafe (the extension asks first, naming
// each one). A field this file does not know is a privilege too: a runtime may act on it.
import { existsSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { EngineError } from '../errors';

// Docker's default capability set: what an ordinary container may hold.
const ORDINARY_CAPS = new Set([
  'CAP_CHOWN', 'CAP_DAC_OVERRIDE', 'CAP_FSETID', 'CAP_FOWNER', 'CAP_MKNOD', 'CAP_NET_RAW', 'CAP_SETGID',
  'CAP_SETUID', 'CAP_SETFCAP', 'CAP_SETPCAP', 'CAP_NET_BIND_SERVICE', 'CAP_SYS_CHROOT', 'CAP_KILL',
  'CAP_AUDIT_WRITE',
]);
const REQUIRED_NAMESPACES = ['pid', 'network', 'ipc', 'uts', 'mount'];
/** Paths a container must not read (host secrets, kernel memory) or write (kernel knobs). */
export const REQUIRED_MASKED = ['/proc/kcore', '/proc/keys', '/proc/timer_list', '/sys/firmware'];
export const REQUIRED_READONLY = ['/proc/sys', '/proc/sysrq-trigger', '/proc/irq', '/proc/bus'];

const TOP_KEYS = new Set(['ociVersion', 'process', 'root', 'hostname', 'domainname', 'mounts', 'linux', 'annotations']);
const PROCESS_KEYS = new Set([
  'terminal', 'consoleSize', 'user', 'args', 'commandLine', 'env', 'cwd', 'capabilities', 'rlimits', 'noNewPrivileges',
  'apparmorProfile', 'oomScoreAdj', 'selinuxLabel', 'ioPriority',
]);
const LINUX_KEYS = new Set([
  'namespaces', 'uidMappings', 'gidMappings', 'maskedPaths', 'readonlyPaths', 'seccomp', 'resources', 'cgroupsPath',
  'rootfsPropagation', 'mountLabel', 'devices', 'sysctl', 'personality', 'timeOffsets', 'intelRdt',
]);
const RESOURCE_KEYS = new Set(['devices', 'memory', 'cpu', 'pids', 'blockIO', 'hugepageLimits', 'network', 'rdma', 'unified']);
/** Kernel file systems a container gets its own instance of (nothing of the host's is exposed). */
const PRIVATE_FS = new Set(['proc', 'tmpfs', 'devpts', 'mqueue']);
/** Kernel file systems that show the host's own tree: fine read-only, a privilege writable. */
const HOST_VIEW_FS = new Set(['sysfs', 'cgroup', 'cgroup2']);

interface Mount {
  destination?: string;
  type?: string;
  source?: string;
  options?: string[];
}

interface BundleConfig {
  [key: string]: unknown;
  hooks?: Record<string, unknown[] | undefined>;
  root?: { path?: string };
  process?: {
    [key: string]: unknown;
    user?: { uid?: number };
    capabilities?: Record<string, string[] | undefined>;
    noNewPrivileges?: boolean;
    apparmorProfile?: string;
  };
  mounts?: Mount[];
  annotations?: Record<string, string>;
  linux?: {
    [key: string]: unknown;
    namespaces?: Array<{ type?: string; path?: string }>;
    uidMappings?: Array<{ containerID?: number; hostID?: number; size?: number }>;
    maskedPaths?: string[];
    readonlyPaths?: string[];
    seccomp?: { defaultAction?: string; syscalls?: Array<{ action?: string }> };
    rootfsPropagation?: string;
    sysctl?: Record<string, string>;
    devices?: Array<{ path?: string; type?: string }>;
    resources?: { [key: string]: unknown; devices?: Array<{ allow?: boolean; type?: string; major?: number; minor?: number; access?: string }> };
  };
}

/** Thrown when a launch needs a privilege the user did not confirm; lists each one. */
export class PrivilegeError extends EngineError {
  constructor(
    what: string,
    readonly privileges: string[],
  ) {
    super(`${what} asks for privileges: ${privileges.join('; ')}`, [], 'review them, then run again with --unsafe to allow them');
    this.name = 'PrivilegeError';
  }
}

/** Inside `dir` once symlinks are followed (a link in the bundle may point anywhere). */
export function isInside(dir: string, p: string): boolean {
  const real = (x: string) => {
    try {
      return existsSync(x) ? realpathSync(x) : path.resolve(x);
    } catch {
      return path.resolve(x);
    }
  };
  const base = real(dir);
  const target = real(path.resolve(dir, p));
  return target === base || target.startsWith(base + path.sep);
}

/** A mount option list's final effect: the last of ro/rw wins, rw when neither is given. */
export function finalWritable(options: string[] = []): boolean {
  let writable = true;
  for (const o of options) {
    if (o === 'ro') writable = false;
    else if (o === 'rw') writable = true;
  }
  return writable;
}

function isBind(m: Mount): boolean {
  return m.type === 'bind' || (m.options ?? []).some((o) => o === 'bind' || o === 'rbind');
}

function mountPrivileges(m: Mount, bundleDir: string | undefined): string[] {
  const where = `${m.source ?? '?'} -> ${m.destination ?? '?'}`;
  const out: string[] = [];
  const opts = m.options ?? [];
  if (opts.some((o) => o === 'shared' || o === 'rshared')) out.push(`mount ${where} propagates mounts back to the host (${opts.join(',')})`);
  if (isBind(m)) {
    const source = m.source ?? '/';
    const inside = bundleDir ? isInside(bundleDir, source) : !path.isAbsolute(source);
    const writable = finalWritable(opts);
    if (!inside) out.push(`${writable ? 'writable' : 'read-only'} host mount ${where}`);
    return out;
  }
  const type = m.type ?? '';
  if (PRIVATE_FS.has(type)) return out;
  if (HOST_VIEW_FS.has(type)) {
    if (finalWritable(opts)) out.push(`writable ${type} mount at ${m.destination ?? '?'}`);
    return out;
  }
  out.push(`mounts a ${type || 'untyped'} file system from ${m.source ?? '?'} at ${m.destination ?? '?'}`);
  return out;
}

function deviceRule(d: { allow?: boolean; type?: string; major?: number; minor?: number; access?: string }): string {
  const kind = d.type ?? 'all';
  const num = d.major === undefined ? '*' : `${d.major}:${d.minor ?? '*'}`;
  return `${kind} ${num} ${d.access ?? 'rwm'}`;
}

/**
 * One line per privilege the bundle asks for; empty when it asks for none. `bundleDir` is where
 * relative paths resolve; paths outside it are the host's.
 */
export function bundlePrivileges(config: unknown, bundleDir?: string): string[] {
  const c = (config ?? {}) as BundleConfig;
  const found: string[] = [];
  const p = c.process ?? {};
  const linux = c.linux ?? {};

  const caps = new Set<string>();
  for (const set of Object.values(p.capabilities ?? {})) for (const cap of set ?? []) caps.add(cap);
  const extra = [...caps].filter((cap) => !ORDINARY_CAPS.has(cap)).sort();
  if (extra.length) found.push(`extra capabilities: ${extra.join(', ')}`);

  for (const [kind, list] of Object.entries(c.hooks ?? {})) {
    for (const h of list ?? []) {
      const hook = h as { path?: string; args?: string[] };
      found.push(`${kind} hook runs ${[hook.path ?? '?', ...(hook.args ?? []).slice(1)].join(' ')} on the host`);
    }
  }
  for (const key of Object.keys(c)) if (!TOP_KEYS.has(key) && key !== 'hooks') found.push(`unrecognised config field '${key}'`);
  for (const key of Object.keys(p)) if (!PROCESS_KEYS.has(key)) found.push(`unrecognised field 'process.${key}'`);
  for (const key of Object.keys(linux)) if (!LINUX_KEYS.has(key)) found.push(`unrecognised field 'linux.${key}'`);

  const root = c.root?.path ?? 'rootfs';
  if (!(bundleDir ? isInside(bundleDir, root) : !path.isAbsolute(root))) found.push(`root file system outside the bundle (${root})`);

  const ns = linux.namespaces ?? [];
  for (const type of REQUIRED_NAMESPACES) {
    const entry = ns.find((n) => n.type === type);
    if (!entry) found.push(`shares the host's ${type} namespace`);
  }
  for (const entry of ns) if (entry.path) found.push(`joins an existing ${entry.type ?? '?'} namespace (${entry.path})`);
  const userns = ns.some((n) => n.type === 'user' && !n.path);
  if (userns && (linux.uidMappings ?? []).some((m) => (m.hostID ?? 0) === 0)) found.push('maps host root (uid 0) into the container');
  if (p.user?.uid === 0 || p.user?.uid === undefined) {
    if (!userns && caps.size) found.push(`runs as host root (uid 0, no user namespace) with ${[...caps].sort().join(', ')}`);
  }

  if (p.noNewPrivileges !== true) found.push('noNewPrivileges is not set (setuid programs can gain privileges)');
  if (p.apparmorProfile === 'unconfined') found.push('AppArmor profile unconfined');

  const seccomp = linux.seccomp;
  const denies = (seccomp?.syscalls ?? []).some((s) => s.action && s.action !== 'SCMP_ACT_ALLOW');
  if (!seccomp) found.push('no seccomp profile');
  else if ((seccomp.defaultAction ?? 'SCMP_ACT_ALLOW') === 'SCMP_ACT_ALLOW' && !denies) found.push('a seccomp profile that allows every system call');

  const masked = new Set(linux.maskedPaths ?? []);
  const unmasked = REQUIRED_MASKED.filter((x) => !masked.has(x));
  if (unmasked.length) found.push(`does not mask ${unmasked.join(', ')}`);
  const ro = new Set(linux.readonlyPaths ?? []);
  const writable = REQUIRED_READONLY.filter((x) => !ro.has(x));
  if (writable.length) found.push(`does not make ${writable.join(', ')} read-only`);

  for (const [key, value] of Object.entries(linux.sysctl ?? {})) found.push(`sets sysctl ${key}=${value}`);
  for (const d of linux.devices ?? []) found.push(`creates device ${d.path ?? '?'} (${d.type ?? '?'})`);
  for (const d of linux.resources?.devices ?? []) if (d.allow) found.push(`device access rule allows ${deviceRule(d)}`);
  for (const key of Object.keys(linux.resources ?? {})) if (!RESOURCE_KEYS.has(key)) found.push(`unrecognised field 'linux.resources.${key}'`);
  if (linux.rootfsPropagation && /shared/.test(linux.rootfsPropagation)) found.push(`root propagation ${linux.rootfsPropagation} shares mounts with the host`);

  for (const m of c.mounts ?? []) found.push(...mountPrivileges(m, bundleDir));
  // gVisor reads its own settings (extra mounts among them) from annotations.
  for (const key of Object.keys(c.annotations ?? {})) if (key.startsWith('dev.gvisor.')) found.push(`gVisor annotation ${key}`);
  return found;
}
