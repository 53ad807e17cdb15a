// Facts from /proc/PID/status and friends: effective capabilities, seccomp mode, namespaces,
// writable mounts. Parsers are pure (unit-tested on recorded text); readers are thin.
import { readFileSync, readlinkSync } from 'node:fs';

// Capability numbers from linux/capability.h, in order.
const CAPS = [
  'chown', 'dac_override', 'dac_read_search', 'fowner', 'fsetid', 'kill', 'setgid', 'setuid',
  'setpcap', 'linux_immutable', 'net_bind_service', 'net_broadcast', 'net_admin', 'net_raw',
  'ipc_lock', 'ipc_owner', 'sys_module', 'sys_rawio', 'sys_chroot', 'sys_ptrace', 'sys_pacct',
  'sys_admin', 'sys_boot', 'sys_nice', 'sys_resource', 'sys_time', 'sys_tty_config', 'mknod',
  'lease', 'audit_write', 'audit_control', 'setfcap', 'mac_override', 'mac_admin', 'syslog',
  'wake_alarm', 'block_suspend', 'audit_read', 'perfmon', 'bpf', 'checkpoint_restore',
];

export interface ProcStatus {
  capEff: bigint;
  /** 0 none, 1 strict, 2 filter. */
  seccomp: number;
  seccompFilters?: number;
  noNewPrivs?: boolean;
  uid?: number;
}

export function parseStatus(text: string): ProcStatus {
  const field = (k: string) => new RegExp(`^${k}:\\s*(.+)$`, 'm').exec(text)?.[1]?.trim();
  const cap = field('CapEff');
  if (cap === undefined || !/^[0-9a-f]+$/i.test(cap)) throw new Error('no CapEff line in /proc/PID/status');
  const num = (k: string) => {
    const v = field(k);
    return v === undefined ? undefined : Number(v.split(/\s+/)[0]);
  };
  return {
    capEff: BigInt(`0x${cap}`),
    seccomp: num('Seccomp') ?? 0,
    seccompFilters: num('Seccomp_filters'),
    noNewPrivs: field('NoNewPrivs') === undefined ? undefined : field('NoNewPrivs') === '1',
    uid: num('Uid'),
  };
}

export function capabilityNames(mask: bigint): string[] {
  const out: string[] = [];
  for (let i = 0; i < 64; i++) {
    if ((mask >> BigInt(i)) & 1n) out.push(`cap_${CAPS[i] ?? `unknown_${i}`}`);
  }
  return out;
}

/** Mount points writable from inside: mounted rw and on a superblock that is rw too. */
export function writableMounts(mountinfo: string): string[] {
  const out: string[] = [];
  for (const line of mountinfo.split('\n')) {
    if (!line.trim()) continue;
    const [pre, post] = line.split(' - ');
    if (!post) continue;
    const f = pre.split(' ');
    const mountPoint = unescapeMount(f[4]);
    const mountOpts = f[5].split(',');
    const [fstype, , superOpts = ''] = post.split(' ');
    if (!mountOpts.includes('rw') || superOpts.split(',').includes('ro')) continue;
    // A path masked with /dev/null (runc's maskedPaths) reads empty and takes no writes.
    if (f[3].endsWith('/null')) continue;
    out.push(`${mountPoint} (${fstype})`);
  }
  return out;
}

function unescapeMount(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
}

export const NAMESPACES = ['cgroup', 'ipc', 'mnt', 'net', 'pid', 'time', 'user', 'uts'] as const;

/** Namespaces of `pid` that differ from this process's (the ones the sandbox entered). */
export function enteredNamespaces(pid: number): string[] {
  const out: string[] = [];
  for (const ns of NAMESPACES) {
    try {
      if (readlinkSync(`/proc/${pid}/ns/${ns}`) !== readlinkSync(`/proc/self/ns/${ns}`)) out.push(ns);
    } catch {
      // A namespace kind this kernel lacks.
    }
  }
  return out;
}

export function readStatus(pid: number): ProcStatus {
  return parseStatus(readFileSync(`/proc/${pid}/status`, 'utf8'));
}

export function readCmdline(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  } catch {
    return [];
  }
}
