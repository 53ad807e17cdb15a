// Firecracker's `--config-file` JSON: validation against its documented schema (Firecracker
// itself refuses unknown fields, and so do we, naming the path), and translation to a QEMU
// microvm launch where Firecracker can't run. Every field the translation can't honour is
// reported, never silently dropped.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { VmDriveRequest, VmLaunchRequest } from './vm-launch';

export interface FcBootSource {
  kernel_image_path: string;
  boot_args?: string | null;
  initrd_path?: string | null;
}

export interface FcDrive {
  drive_id: string;
  path_on_host?: string | null;
  is_root_device: boolean;
  is_read_only?: boolean | null;
  partuuid?: string | null;
  cache_type?: 'Unsafe' | 'Writeback' | null;
  io_engine?: 'Sync' | 'Async' | null;
  rate_limiter?: unknown;
  socket?: string | null;
}

export interface FcMachineConfig {
  vcpu_count: number;
  mem_size_mib: number;
  smt?: boolean | null;
  track_dirty_pages?: boolean | null;
  huge_pages?: 'None' | '2M' | null;
  cpu_template?: string | null;
}

export interface FcNetworkInterface {
  iface_id: string;
  host_dev_name: string;
  guest_mac?: string | null;
  rx_rate_limiter?: unknown;
  tx_rate_limiter?: unknown;
}

export interface FirecrackerConfig {
  'boot-source': FcBootSource;
  drives?: FcDrive[] | null;
  'machine-config'?: FcMachineConfig | null;
  'network-interfaces'?: FcNetworkInterface[] | null;
  'cpu-config'?: unknown;
  balloon?: unknown;
  vsock?: unknown;
  logger?: unknown;
  metrics?: unknown;
  'mmds-config'?: unknown;
  entropy?: { rate_limiter?: unknown } | null;
}

/** Known fields per object, from Firecracker's API description (swagger) and config examples. */
const SCHEMA: Record<string, string[]> = {
  '': ['boot-source', 'drives', 'machine-config', 'network-interfaces', 'cpu-config', 'balloon', 'vsock', 'logger', 'metrics', 'mmds-config', 'entropy'],
  'boot-source': ['kernel_image_path', 'boot_args', 'initrd_path'],
  drives: ['drive_id', 'path_on_host', 'is_root_device', 'is_read_only', 'partuuid', 'cache_type', 'io_engine', 'rate_limiter', 'socket'],
  'machine-config': ['vcpu_count', 'mem_size_mib', 'smt', 'track_dirty_pages', 'huge_pages', 'cpu_template'],
  'network-interfaces': ['iface_id', 'host_dev_name', 'guest_mac', 'rx_rate_limiter', 'tx_rate_limiter'],
  balloon: ['amount_mib', 'deflate_on_oom', 'stats_polling_interval_s'],
  vsock: ['guest_cid', 'uds_path', 'vsock_id'],
  logger: ['log_path', 'level', 'show_level', 'show_log_origin', 'module'],
  metrics: ['metrics_path'],
  'mmds-config': ['version', 'network_interfaces', 'ipv4_address', 'imds_compat'],
  entropy: ['rate_limiter'],
};

export interface FcProblem {
  /** JSON path, e.g. `drives[0].cache_typ`. */
  path: string;
  message: string;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Structural problems: unknown fields, missing required ones, wrong types. Empty when valid. */
export function validateFirecrackerConfig(raw: unknown): FcProblem[] {
  const problems: FcProblem[] = [];
  if (!isObject(raw)) return [{ path: '', message: 'a Firecracker config is a JSON object' }];
  const checkKeys = (obj: Record<string, unknown>, section: string, at: string) => {
    for (const k of Object.keys(obj)) if (!SCHEMA[section].includes(k)) problems.push({ path: at ? `${at}.${k}` : k, message: `unknown field '${k}'${at ? ` in ${section}` : ''} (Firecracker refuses unknown fields)` });
  };
  checkKeys(raw, '', '');
  const need = (obj: Record<string, unknown>, at: string, key: string, type: 'string' | 'number' | 'boolean') => {
    if (!(key in obj) || obj[key] === null) problems.push({ path: `${at}.${key}`, message: `${key} is required` });
    else if (typeof obj[key] !== type) problems.push({ path: `${at}.${key}`, message: `${key} must be a ${type}` });
  };
  const bs = raw['boot-source'];
  if (!isObject(bs)) problems.push({ path: 'boot-source', message: 'boot-source (with kernel_image_path) is required' });
  else {
    checkKeys(bs, 'boot-source', 'boot-source');
    need(bs, 'boot-source', 'kernel_image_path', 'string');
  }
  for (const section of ['machine-config', 'balloon', 'vsock', 'logger', 'metrics', 'mmds-config', 'entropy']) {
    const v = raw[section];
    if (v === undefined || v === null) continue;
    if (!isObject(v)) problems.push({ path: section, message: `${section} must be an object` });
    else checkKeys(v, section, section);
  }
  const mc = raw['machine-config'];
  if (isObject(mc)) {
    need(mc, 'machine-config', 'vcpu_count', 'number');
    need(mc, 'machine-config', 'mem_size_mib', 'number');
  }
  for (const [section, idKey] of [['drives', 'drive_id'], ['network-interfaces', 'iface_id']] as const) {
    const list = raw[section];
    if (list === undefined || list === null) continue;
    if (!Array.isArray(list)) {
      problems.push({ path: section, message: `${section} must be a list` });
      continue;
    }
    list.forEach((item, i) => {
      const at = `${section}[${i}]`;
      if (!isObject(item)) return void problems.push({ path: at, message: 'must be an object' });
      checkKeys(item, section, at);
      need(item, at, idKey, 'string');
      if (section === 'drives') need(item, at, 'is_root_device', 'boolean');
      else {
        need(item, at, 'host_dev_name', 'string');
        // It ends up inside QEMU's -device option string, where a comma would add options.
        const mac = item.guest_mac;
        if (mac !== undefined && mac !== null && (typeof mac !== 'string' || !/^[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){5}$/.test(mac))) {
          problems.push({ path: `${at}.guest_mac`, message: `guest_mac must be a MAC address like 06:00:AC:10:00:02, got ${JSON.stringify(mac)}` });
        }
      }
    });
  }
  const drives = Array.isArray(raw.drives) ? raw.drives.filter(isObject) : [];
  if (drives.filter((d) => d.is_root_device === true).length > 1) problems.push({ path: 'drives', message: 'only one drive can be the root device' });
  return problems;
}

export class FirecrackerConfigError extends Error {
  constructor(readonly file: string, readonly problems: FcProblem[]) {
    super(`${file}: ${problems.map((p) => `${p.path || '(root)'}: ${p.message}`).join('; ')}`);
    this.name = 'FirecrackerConfigError';
  }
}

export function loadFirecrackerConfig(file: string): FirecrackerConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new FirecrackerConfigError(file, [{ path: '', message: `not valid JSON: ${(e as Error).message}` }]);
  }
  return checkedFirecrackerConfig(file, raw);
}

/** `raw` (the content of `file`) once it passed validation; throws naming each bad field. */
export function checkedFirecrackerConfig(file: string, raw: unknown): FirecrackerConfig {
  const problems = validateFirecrackerConfig(raw);
  if (problems.length) throw new FirecrackerConfigError(file, problems);
  return raw as FirecrackerConfig;
}

/** A field the QEMU translation does not carry over, and why. */
export interface Unhonoured {
  path: string;
  reason: string;
}

export interface Translation {
  request: VmLaunchRequest;
  unhonoured: Unhonoured[];
  /** Guest mount point of each drive, by drive_id (the root drive is the command's root). */
  mounts: Record<string, string>;
}

const present = (v: unknown) => v !== undefined && v !== null;

/** Kernel arguments that belong to the VMM's own set-up, so ours replace them. */
const OURS = /^(console|panic|tsc|tsc_early_khz|no_timer_check|quiet|root|rootfstype|rw|ro)(=|$)/;

/**
 * Translates a validated config into a QEMU microvm launch. Paths are relative to the config
 * file's folder, as Firecracker resolves them relative to its working directory.
 */
export function translateFirecrackerConfig(cfg: FirecrackerConfig, configDir: string, command?: string[]): Translation {
  const un: Unhonoured[] = [];
  const abs = (p: string) => path.resolve(configDir, p);
  const bs = cfg['boot-source'];
  const words = (bs.boot_args ?? '').split(/\s+/).filter(Boolean);
  const initArg = words.find((w) => w.startsWith('init='))?.slice(5);
  const bootArgs = words.filter((w) => !OURS.test(w) && !w.startsWith('init='));
  if (present(bs.initrd_path)) un.push({ path: 'boot-source.initrd_path', reason: 'the engine boots its own initramfs (it runs the command and reports its exit code)' });

  const mounts: Record<string, string> = {};
  const drives: VmDriveRequest[] = [];
  let rootMount: string | undefined;
  (cfg.drives ?? []).forEach((d, i) => {
    const at = `drives[${i}]`;
    if (present(d.socket)) return void un.push({ path: `${at}.socket`, reason: 'vhost-user block devices are not translated; the drive is left out' });
    if (!d.path_on_host) return void un.push({ path: `${at}.path_on_host`, reason: 'a drive without path_on_host is left out' });
    const mountAt = d.is_root_device ? '/mnt/rootfs' : `/drives/${d.drive_id}`;
    if (d.is_root_device) rootMount = mountAt;
    mounts[d.drive_id] = mountAt;
    drives.push({
      id: d.drive_id,
      path: abs(d.path_on_host),
      readOnly: Boolean(d.is_read_only),
      mountAt,
      cache: d.cache_type === 'Writeback' ? 'writeback' : 'unsafe',
    });
    if (present(d.partuuid)) un.push({ path: `${at}.partuuid`, reason: 'drives are found by their id, not a partition UUID; the whole device is mounted' });
    if (d.io_engine === 'Async') un.push({ path: `${at}.io_engine`, reason: "QEMU's own block I/O is used instead of io_uring" });
    if (present(d.rate_limiter)) un.push({ path: `${at}.rate_limiter`, reason: 'I/O rate limits are not translated' });
  });

  const mc = cfg['machine-config'];
  if (mc?.smt) un.push({ path: 'machine-config.smt', reason: 'vCPUs are given as separate cores, without SMT siblings' });
  if (mc?.track_dirty_pages) un.push({ path: 'machine-config.track_dirty_pages', reason: 'dirty page tracking is for Firecracker snapshots' });
  if (mc?.huge_pages && mc.huge_pages !== 'None') un.push({ path: 'machine-config.huge_pages', reason: 'guest memory is not backed by huge pages' });
  if (present(mc?.cpu_template)) un.push({ path: 'machine-config.cpu_template', reason: 'CPU templates are not translated; TCG shows its `max` CPU model' });

  const nics = cfg['network-interfaces'] ?? [];
  nics.forEach((n, i) => {
    un.push({ path: `network-interfaces[${i}].host_dev_name`, reason: `tap device ${n.host_dev_name} is not used: the translation gives outbound user-mode networking` });
    if (present(n.rx_rate_limiter) || present(n.tx_rate_limiter)) un.push({ path: `network-interfaces[${i}]`, reason: 'network rate limits are not translated' });
  });
  if (nics.length > 1) un.push({ path: 'network-interfaces', reason: 'only the first interface is translated' });
  for (const section of ['cpu-config', 'balloon', 'vsock', 'logger', 'metrics', 'mmds-config'] as const) {
    if (present(cfg[section])) un.push({ path: section, reason: `${section} is not translated to QEMU` });
  }
  if (present(cfg.entropy?.rate_limiter)) un.push({ path: 'entropy.rate_limiter', reason: 'entropy rate limits are not translated' });

  // With a root drive and no command, the guest's own init runs inside that drive.
  const cmd = command?.length ? command : rootMount ? [initArg ?? '/sbin/init'] : ['/bin/sh'];
  const request: VmLaunchRequest = {
    machine: 'microvm',
    kernel: abs(bs.kernel_image_path),
    command: cmd,
    env: {},
    mounts: [],
    cpus: mc?.vcpu_count ?? 1,
    memoryMiB: mc?.mem_size_mib ?? 128,
    network: nics.length ? 'outbound' : 'none',
    devices: [],
    drives,
    bootArgs,
    mac: nics[0]?.guest_mac ?? undefined,
    rng: present(cfg.entropy),
    rootDrive: rootMount,
  };
  return { request, unhonoured: un, mounts };
}
