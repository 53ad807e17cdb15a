// Kernel module resolution. Debian's guest kernel builds virtio, ext4, 9p and vsock as modules,
// so the initramfs must carry them and load them in dependency order. Debian's package ships no
// modules.dep (depmod writes it at install time, and hosts may lack kmod), so we derive it from
// each module's own `.modinfo` section (`depends=`, `softdep=pre:`).
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';

/** Module names compare with `-` and `_` as one character, as the kernel does. */
export function normaliseModuleName(name: string): string {
  return name.replace(/-/g, '_');
}

export function moduleNameOfPath(p: string): string {
  return normaliseModuleName(path.basename(p).replace(/\.ko(\.(xz|gz|zst))?$/, ''));
}

/** Reads the NUL-separated `key=value` strings of an ELF64 module's `.modinfo` section. */
export function parseModinfo(elf: Buffer): Map<string, string[]> {
  if (elf.readUInt32BE(0) !== 0x7f454c46 || elf[4] !== 2 || elf[5] !== 1) throw new Error('not a little-endian ELF64 module');
  const shoff = Number(elf.readBigUInt64LE(0x28));
  const shentsize = elf.readUInt16LE(0x3a);
  const shnum = elf.readUInt16LE(0x3c);
  const shstrndx = elf.readUInt16LE(0x3e);
  const sec = (i: number) => {
    const o = shoff + i * shentsize;
    return { name: elf.readUInt32LE(o), offset: Number(elf.readBigUInt64LE(o + 0x18)), size: Number(elf.readBigUInt64LE(o + 0x20)) };
  };
  const strtab = sec(shstrndx);
  const info = new Map<string, string[]>();
  for (let i = 0; i < shnum; i++) {
    const s = sec(i);
    const nameEnd = elf.indexOf(0, strtab.offset + s.name);
    if (elf.toString('latin1', strtab.offset + s.name, nameEnd) !== '.modinfo') continue;
    for (const kv of elf.toString('latin1', s.offset, s.offset + s.size).split('\0')) {
      const eq = kv.indexOf('=');
      if (eq <= 0) continue;
      const k = kv.slice(0, eq);
      info.set(k, [...(info.get(k) ?? []), kv.slice(eq + 1)]);
    }
  }
  return info;
}

/** The modules a module needs loaded first: `depends=` plus plain-name `softdep=pre:` entries. */
export function dependenciesOf(info: Map<string, string[]>): string[] {
  const deps = (info.get('depends') ?? []).flatMap((d) => d.split(',')).filter(Boolean);
  for (const sd of info.get('softdep') ?? []) {
    const m = sd.match(/pre:\s*([^:]*?)(\s+post:|$)/);
    if (m) deps.push(...m[1].split(/\s+/).filter(Boolean));
  }
  return deps.map(normaliseModuleName);
}

/** modules.dep: relative module path -> relative paths of what it needs. */
export type ModulesDep = Map<string, string[]>;

export function parseModulesDep(text: string): ModulesDep {
  const dep: ModulesDep = new Map();
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    dep.set(line.slice(0, colon).trim(), line.slice(colon + 1).trim().split(/\s+/).filter(Boolean));
  }
  return dep;
}

export function formatModulesDep(dep: ModulesDep): string {
  return [...dep].map(([m, deps]) => `${m}:${deps.length ? ' ' + deps.join(' ') : ''}\n`).join('');
}

/**
 * Load order for `wanted` (dependencies before dependants, each once). Names that are built in
 * are satisfied already and skipped; an unknown name is an error naming it.
 */
export function resolveModules(dep: ModulesDep, wanted: string[], builtin: Set<string> = new Set()): string[] {
  const byName = new Map<string, string>();
  for (const p of dep.keys()) byName.set(moduleNameOfPath(p), p);
  const order: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (p: string) => {
    if (state.get(p) === 'done' || state.get(p) === 'visiting') return;
    state.set(p, 'visiting');
    for (const d of dep.get(p) ?? []) visit(d);
    state.set(p, 'done');
    order.push(p);
  };
  for (const w of wanted) {
    const n = normaliseModuleName(w);
    const p = byName.get(n);
    if (p) visit(p);
    else if (!builtin.has(n)) throw new Error(`kernel module '${w}' is neither built in nor in modules.dep`);
  }
  return order;
}

/** Module names the kernel has built in, from `modules.builtin` (relative .ko paths). */
export function parseModulesBuiltin(text: string): Set<string> {
  return new Set(text.split('\n').filter(Boolean).map(moduleNameOfPath));
}

/**
 * Derives a modules.dep for `wanted` and everything they need, reading only those modules'
 * `.modinfo` (cheap next to scanning all 4000 modules). `order` is modules.order's list of paths.
 */
export function deriveModulesDep(moduleRoot: string, order: string[], wanted: string[], builtin: Set<string>): ModulesDep {
  const byName = new Map<string, string>();
  for (const p of order) byName.set(moduleNameOfPath(p), p);
  const direct = new Map<string, string[]>();
  const queue = wanted.map(normaliseModuleName);
  const seen = new Set<string>();
  while (queue.length) {
    const name = queue.shift()!;
    if (seen.has(name)) continue;
    seen.add(name);
    const rel = byName.get(name);
    if (!rel) {
      if (builtin.has(name)) continue;
      throw new Error(`kernel module '${name}' is neither built in nor shipped with this kernel`);
    }
    const abs = path.join(moduleRoot, rel);
    if (!existsSync(abs)) throw new Error(`kernel module file missing: ${rel}`);
    const deps = dependenciesOf(parseModinfo(readFileSync(abs))).filter((d) => !builtin.has(d) && byName.has(d));
    direct.set(rel, deps.map((d) => byName.get(d)!));
    queue.push(...deps);
  }
  // modules.dep lists every module's full closure, nearest first, as depmod does.
  const dep: ModulesDep = new Map();
  for (const rel of direct.keys()) {
    const closure: string[] = [];
    const walk = (p: string) => {
      for (const d of direct.get(p) ?? []) {
        if (!closure.includes(d)) {
          closure.push(d);
          walk(d);
        }
      }
    };
    walk(rel);
    dep.set(rel, closure);
  }
  return dep;
}

/** Modules per guest feature (names, with `-`/`_` interchangeable). */
export const FEATURE_MODULES = {
  'mmio-disk': ['virtio_mmio', 'virtio_blk'],
  'pci-disk': ['virtio_pci', 'virtio_blk'],
  'mmio-net': ['virtio_mmio', 'virtio_net'],
  'pci-net': ['virtio_pci', 'virtio_net'],
  ext4: ['ext4', 'crc32c_generic'],
  '9p': ['9p', '9pnet_virtio'],
  vsock: ['vmw_vsock_virtio_transport'],
  rng: ['virtio_rng'],
  // The guest agent's virtio-serial port (exec and cp into VMs).
  agent: ['virtio_console'],
} as const satisfies Record<string, readonly string[]>;

export type GuestFeature = keyof typeof FEATURE_MODULES;

/** Everything a cached guest kernel keeps, so any launch finds its modules without the package. */
export const CACHED_MODULES: string[] = [...new Set(Object.values(FEATURE_MODULES).flat())];
