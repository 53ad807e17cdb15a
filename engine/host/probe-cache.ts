// The cache of what probing a binary found (its version, runsc's flags, nvidia-smi's GPUs), so a
// command does not start every runtime just to ask its version. An entry is used only while its
// key still matches: the binary's path, size, mtime and inode, and for the whole file the kernel
// release and boot id. The file is untrusted input: one that is not a regular file of ours, not
// private, or not exactly the expected shape is ignored (and replaced on the next save).
import { lstatSync, mkdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { HostSnapshot } from './snapshot';

const FORMAT = 1;
/** A real cache is a few kB; anything far larger is not ours to parse. */
const MAX_BYTES = 256 * 1024;

export interface BinaryKey {
  path: string;
  size: number;
  mtimeMs: number;
  ino: number;
}

/** What one probe of one binary found. */
export interface ProbeFacts {
  version?: string;
  runsc?: HostSnapshot['runsc'];
  nvidiaSmi?: string[];
}

export interface CacheEntry extends BinaryKey, ProbeFacts {}

export interface ProbeCache {
  format: number;
  kernelRelease: string;
  bootId: string;
  entries: Record<string, CacheEntry>;
}

/** The file's identity key: what makes it the same binary as when it was probed. */
export function binaryKey(p: string): BinaryKey | undefined {
  try {
    const st = statSync(p);
    return st.isFile() ? { path: p, size: st.size, mtimeMs: st.mtimeMs, ino: st.ino } : undefined;
  } catch {
    return undefined;
  }
}

export function sameKey(a: BinaryKey, b: BinaryKey): boolean {
  return a.path === b.path && a.size === b.size && a.mtimeMs === b.mtimeMs && a.ino === b.ino;
}

export function bootId(): string {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    return '';
  }
}

export function emptyCache(): ProbeCache {
  return { format: FORMAT, kernelRelease: os.release(), bootId: bootId(), entries: {} };
}

const isStr = (v: unknown): v is string => typeof v === 'string';
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStrArray = (v: unknown): v is string[] => Array.isArray(v) && v.every(isStr);

function validEntry(v: unknown): v is CacheEntry {
  if (!isObj(v) || !isStr(v.path) || !path.isAbsolute(v.path) || !isNum(v.size) || !isNum(v.mtimeMs) || !isNum(v.ino)) return false;
  if (v.version !== undefined && !isStr(v.version)) return false;
  if (v.nvidiaSmi !== undefined && !isStrArray(v.nvidiaSmi)) return false;
  if (v.runsc !== undefined) {
    const r = v.runsc;
    if (!isObj(r) || !isStrArray(r.platforms) || typeof r.nvproxy !== 'boolean' || typeof r.ociSeccomp !== 'boolean') return false;
  }
  return true;
}

/** Parses a cache file's text; undefined for anything but the exact expected shape. */
export function parseCache(text: string): ProbeCache | undefined {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isObj(v) || v.format !== FORMAT || !isStr(v.kernelRelease) || !isStr(v.bootId) || !isObj(v.entries)) return undefined;
  const entries: Record<string, CacheEntry> = {};
  for (const [name, e] of Object.entries(v.entries)) {
    if (!validEntry(e)) return undefined;
    entries[name] = e;
  }
  return { format: FORMAT, kernelRelease: v.kernelRelease, bootId: v.bootId, entries };
}

/** Why the file at `file` must not be trusted, or undefined when it may be read. */
export function untrustedReason(file: string): string | undefined {
  let st;
  try {
    st = lstatSync(file);
  } catch {
    return 'absent';
  }
  const uid = typeof process.getuid === 'function' ? process.getuid() : st.uid;
  if (!st.isFile()) return 'not a regular file';
  if (st.uid !== uid) return `owned by uid ${st.uid}`;
  if (st.mode & 0o022) return 'writable by others';
  if (st.size > MAX_BYTES) return 'too large';
  return undefined;
}

/**
 * The cache for this boot and kernel: an empty one when the file is absent, untrusted, corrupt,
 * or was written under another kernel or boot (a reboot may have changed anything).
 */
export function loadCache(file: string): ProbeCache {
  const fresh = emptyCache();
  if (untrustedReason(file)) return fresh;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return fresh;
  }
  const c = parseCache(text);
  if (!c || c.kernelRelease !== fresh.kernelRelease || c.bootId !== fresh.bootId) return fresh;
  return c;
}

/** The cached facts of `name` when its binary is still the one probed. */
export function cachedFacts(c: ProbeCache, name: string, key: BinaryKey): ProbeFacts | undefined {
  const e = c.entries[name];
  if (!e || !sameKey(e, key)) return undefined;
  const { version, runsc, nvidiaSmi } = e;
  return { version, runsc, nvidiaSmi };
}

/**
 * Writes the cache privately and atomically (a temporary file renamed over the old one), so
 * concurrent commands never read half a file. Best effort: a cache that cannot be written only
 * costs the next command a probe.
 */
export function saveCache(file: string, c: ProbeCache): void {
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  try {
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    writeFileSync(tmp, JSON.stringify(c, null, 1) + '\n', { mode: 0o600, flag: 'wx' });
    renameSync(tmp, file);
  } catch {
    try {
      unlinkSync(tmp);
    } catch {
      // never created
    }
  }
}
