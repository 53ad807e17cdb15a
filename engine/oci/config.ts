// Builds the OCI runtime config (config.json) for a spec, with secure defaults: own namespaces
// (network: loopback only), read-only root, no capabilities, noNewPrivileges, the default seccomp
// profile, masked and read-only /proc and /sys paths, cgroup limits from `resources`, and
// read-only bind mounts unless a mount is marked writable. Pure: unit-tested on its output.
import type { SandboxSpec } from '../spec/types';
import { defaultSeccomp } from './seccomp';

const MASKED_PATHS = [
  '/proc/acpi', '/proc/asound', '/proc/interrupts', '/proc/kcore', '/proc/keys', '/proc/latency_stats',
  '/proc/timer_list', '/proc/timer_stats', '/proc/sched_debug', '/proc/scsi', '/sys/firmware',
  '/sys/devices/virtual/powercap',
];
const READONLY_PATHS = ['/proc/bus', '/proc/fs', '/proc/irq', '/proc/sys', '/proc/sysrq-trigger'];
const CPU_PERIOD_US = 100_000;

export interface OciOptions {
  /** Absolute rootfs path (runc rejects a symlinked one). */
  rootfs: string;
  hostname?: string;
  /** Join this network namespace (a file: network: outbound) instead of a new empty one. */
  netns?: string;
  /** The host is not root: map the container's root to the caller (rootless). */
  rootless?: { uid: number; gid: number };
}

export type OciConfig = Record<string, unknown> & {
  process: Record<string, unknown> & { args: string[]; env: string[]; capabilities: Record<string, string[]>; noNewPrivileges: boolean };
  root: { path: string; readonly: boolean };
  mounts: Array<{ destination: string; type: string; source: string; options?: string[] }>;
  linux: Record<string, unknown> & { namespaces: Array<{ type: string; path?: string }> };
};

export function buildOciConfig(spec: SandboxSpec, opts: OciOptions): OciConfig {
  const env = ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'HOME=/root', 'TERM=dumb'];
  for (const [k, v] of Object.entries(spec.env)) env.push(`${k}=${v}`);
  const namespaces: Array<{ type: string; path?: string }> = [{ type: 'pid' }, { type: 'ipc' }, { type: 'uts' }, { type: 'mount' }, { type: 'cgroup' }];
  if (spec.network !== 'host') namespaces.push(opts.netns ? { type: 'network', path: opts.netns } : { type: 'network' });
  const linux: OciConfig['linux'] = {
    namespaces,
    maskedPaths: MASKED_PATHS,
    readonlyPaths: READONLY_PATHS,
    seccomp: defaultSeccomp(),
    resources: { devices: [{ allow: false, access: 'rwm' }], ...limits(spec) },
  };
  if (opts.rootless) {
    namespaces.push({ type: 'user' });
    linux.uidMappings = [{ containerID: 0, hostID: opts.rootless.uid, size: 1 }];
    linux.gidMappings = [{ containerID: 0, hostID: opts.rootless.gid, size: 1 }];
  }
  return {
    ociVersion: '1.0.2',
    process: {
      terminal: false,
      user: { uid: 0, gid: 0 },
      args: spec.command && spec.command.length ? spec.command : ['/bin/sh'],
      env,
      cwd: '/',
      capabilities: { bounding: [], effective: [], inheritable: [], permitted: [], ambient: [] },
      rlimits: [{ type: 'RLIMIT_NOFILE', hard: 1024, soft: 1024 }],
      noNewPrivileges: true,
    },
    root: { path: opts.rootfs, readonly: spec.readonly },
    hostname: opts.hostname ?? spec.name,
    mounts: [
      { destination: '/proc', type: 'proc', source: 'proc' },
      { destination: '/dev', type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'strictatime', 'mode=755', 'size=65536k'] },
      { destination: '/dev/pts', type: 'devpts', source: 'devpts', options: ['nosuid', 'noexec', 'newinstance', 'ptmxmode=0666', 'mode=0620'] },
      { destination: '/dev/shm', type: 'tmpfs', source: 'shm', options: ['nosuid', 'noexec', 'nodev', 'mode=1777', 'size=65536k'] },
      { destination: '/dev/mqueue', type: 'mqueue', source: 'mqueue', options: ['nosuid', 'noexec', 'nodev'] },
      { destination: '/sys', type: 'sysfs', source: 'sysfs', options: ['nosuid', 'noexec', 'nodev', 'ro'] },
      // A writable scratch area even with a read-only root, as most programs expect one.
      { destination: '/tmp', type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'nodev', 'mode=1777', 'size=65536k'] },
      ...spec.mounts.map((m) => ({
        destination: m.target,
        type: 'bind',
        source: m.source,
        options: ['rbind', 'nosuid', 'nodev', m.writable ? 'rw' : 'ro'],
      })),
    ],
    linux,
  };
}

function limits(spec: SandboxSpec): Record<string, unknown> {
  const r: Record<string, unknown> = {};
  const { memoryBytes, pids, cpus } = spec.resources;
  if (memoryBytes) r.memory = { limit: memoryBytes, swap: memoryBytes };
  if (pids) r.pids = { limit: pids };
  if (cpus) r.cpu = { quota: Math.round(cpus * CPU_PERIOD_US), period: CPU_PERIOD_US };
  return r;
}
