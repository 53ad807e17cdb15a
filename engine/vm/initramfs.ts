// Builds a launch's initramfs as two concatenated gzip'd newc archives (the kernel unpacks them
// in turn): a base image (busybox, modules, the spec's rootfs directory), cached by content hash
// because it is the same for every launch of a spec, and a tiny per-launch archive with /init,
// which holds the launch's nonce and command.
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { execFileSync } from 'node:child_process';
import { type CpioEntry, writeCpio } from './cpio';
import { artefactsDir } from './cache';

export const BUSYBOX_PATHS = ['/bin/busybox', '/usr/bin/busybox'];

export function findBusybox(): string | undefined {
  return BUSYBOX_PATHS.find((p) => existsSync(p));
}

let appletCache: { path: string; applets: string[] } | undefined;

/** Applet names the busybox binary provides (`busybox --list`). */
export function busyboxApplets(busybox: string): string[] {
  if (appletCache?.path === busybox) return appletCache.applets;
  const out = execFileSync(busybox, ['--list'], { encoding: 'utf8' });
  appletCache = { path: busybox, applets: out.split('\n').filter((a) => /^[\w.[-]+$/.test(a)) };
  return appletCache.applets;
}

export interface BaseImageInput {
  busybox: string;
  /** Absolute host path -> absolute guest path of each kernel module to carry. */
  modules: { host: string; guest: string }[];
  /** A host directory packed at the guest's root (the spec's `image:` directory). */
  rootfsDir?: string;
  /** The compiled guest agent (engine/vm/agent-binary.ts), packed as /sbin/spectrum-agent. */
  agent?: string;
}

const SKELETON = ['bin', 'sbin', 'usr', 'usr/bin', 'usr/sbin', 'proc', 'sys', 'dev', 'tmp', 'run', 'etc', 'root', 'mnt', 'lib', 'lib/modules'];

/** Entries of a host directory tree, relative names under `prefix`. Skips sockets and fifos. */
export function treeEntries(dir: string, prefix = ''): CpioEntry[] {
  const out: CpioEntry[] = [];
  for (const name of readdirSync(dir).sort()) {
    const abs = path.join(dir, name);
    const rel = prefix ? `${prefix}/${name}` : name;
    const st = lstatSync(abs);
    if (st.isSymbolicLink()) out.push({ type: 'symlink', name: rel, target: readlinkSync(abs) });
    else if (st.isDirectory()) out.push({ type: 'dir', name: rel, mode: st.mode & 0o7777 }, ...treeEntries(abs, rel));
    else if (st.isFile()) out.push({ type: 'file', name: rel, data: readFileSync(abs), mode: st.mode & 0o7777 });
  }
  return out;
}

/** The cache key of a base image: inputs' paths, sizes and mtimes (cheap; no content read). */
export function baseImageKey(input: BaseImageInput): string {
  const h = createHash('sha256');
  const stamp = (p: string) => {
    const st = statSync(p);
    h.update(`${p}\0${st.size}\0${st.mtimeMs}\0`);
  };
  h.update('base-v1\0');
  stamp(input.busybox);
  if (input.agent) {
    h.update('agent\0');
    stamp(input.agent);
  }
  for (const m of input.modules) {
    h.update(`${m.guest}\0`);
    stamp(m.host);
  }
  if (input.rootfsDir) {
    const walk = (d: string) => {
      for (const name of readdirSync(d).sort()) {
        const p = path.join(d, name);
        const st = lstatSync(p);
        h.update(`${p}\0${st.mode}\0${st.size}\0${st.mtimeMs}\0`);
        if (st.isDirectory()) walk(p);
      }
    };
    h.update(`rootfs\0${input.rootfsDir}\0`);
    walk(input.rootfsDir);
  }
  return h.digest('hex').slice(0, 24);
}

export function baseImageEntries(input: BaseImageInput): CpioEntry[] {
  const entries: CpioEntry[] = [];
  // The user's tree first, so our busybox, device node and modules land on top of it.
  if (input.rootfsDir) entries.push(...treeEntries(input.rootfsDir));
  for (const d of SKELETON) entries.push({ type: 'dir', name: d });
  // The kernel opens /dev/console for /init before devtmpfs is mounted.
  entries.push({ type: 'chardev', name: 'dev/console', major: 5, minor: 1 });
  entries.push({ type: 'file', name: 'bin/busybox', data: readFileSync(input.busybox), mode: 0o755 });
  for (const a of busyboxApplets(input.busybox)) if (a !== 'busybox') entries.push({ type: 'symlink', name: `bin/${a}`, target: 'busybox' });
  if (input.agent) entries.push({ type: 'file', name: 'sbin/spectrum-agent', data: readFileSync(input.agent), mode: 0o755 });
  const dirs = new Set<string>();
  for (const m of input.modules) {
    const rel = m.guest.replace(/^\/+/, '');
    const parts = rel.split('/');
    for (let i = 1; i < parts.length; i++) {
      const d = parts.slice(0, i).join('/');
      if (!dirs.has(d)) {
        dirs.add(d);
        entries.push({ type: 'dir', name: d });
      }
    }
    entries.push({ type: 'file', name: rel, data: readFileSync(m.host) });
  }
  return entries;
}

/** The gzip'd base archive, from the cache or built now. Returns its path. */
export function ensureBaseImage(input: BaseImageInput, env: NodeJS.ProcessEnv = process.env): { path: string; key: string; cached: boolean } {
  const key = baseImageKey(input);
  const dir = artefactsDir(env);
  const out = path.join(dir, `initramfs-base-${key}.cpio.gz`);
  if (existsSync(out)) return { path: out, key, cached: true };
  mkdirSync(dir, { recursive: true });
  const tmp = `${out}.tmp-${process.pid}`;
  writeFileSync(tmp, zlib.gzipSync(writeCpio(baseImageEntries(input)), { level: 6 }));
  renameSync(tmp, out);
  return { path: out, key, cached: false };
}

/** The per-launch archive: just /init. */
export function launchArchive(initScript: string): Buffer {
  return zlib.gzipSync(writeCpio([{ type: 'file', name: 'init', data: Buffer.from(initScript), mode: 0o755 }]));
}

/** Writes base + launch archives as one initrd file for QEMU's -initrd. */
export function writeInitrd(basePath: string, initScript: string, outPath: string): void {
  writeFileSync(outPath, Buffer.concat([readFileSync(basePath), launchArchive(initScript)]), { mode: 0o600 });
}
