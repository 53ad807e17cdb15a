// Where boot artefacts live. Guest kernels are expensive to fetch and shared on purpose by every
// clone and test run; initramfs images are derived and keyed by content hash, so cleaning them is
// always safe.
import { existsSync, readdirSync, lstatSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export function cacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'isolation-spectrum');
}

export function vmCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.SPECTRUM_VM_CACHE || path.join(cacheRoot(env), 'vm');
}

export function kernelsDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(vmCacheDir(env), 'kernels');
}

/** Kernel folders to search: this environment's cache first, then the shared per-user one. */
export function kernelSearchDirs(env: NodeJS.ProcessEnv = process.env): string[] {
  const shared = path.join(os.homedir(), '.cache', 'isolation-spectrum', 'vm', 'kernels');
  return [...new Set([kernelsDir(env), shared])];
}

export function artefactsDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(vmCacheDir(env), 'artefacts');
}

export function diskUsage(p: string): number {
  if (!existsSync(p)) return 0;
  const st = lstatSync(p);
  if (!st.isDirectory()) return st.size;
  let total = 0;
  for (const name of readdirSync(p)) total += diskUsage(path.join(p, name));
  return total;
}

export interface VmCacheReport {
  path: string;
  kernelsBytes: number;
  artefactsBytes: number;
  kernels: string[];
}

/** What doctor shows: the cache's location and size. */
export function vmCacheReport(env: NodeJS.ProcessEnv = process.env): VmCacheReport {
  const kdir = kernelsDir(env);
  const kernels = existsSync(kdir) ? readdirSync(kdir).filter((n) => !n.startsWith('.')) : [];
  return { path: vmCacheDir(env), kernelsBytes: diskUsage(kdir), artefactsBytes: diskUsage(artefactsDir(env)), kernels };
}

export interface CleanResult {
  removedBytes: number;
  removed: string[];
}

/**
 * Cleans the VM cache for the CLI verb and the extension command. Derived artefacts always go;
 * guest kernels only with `kernels: true`, since fetching them again needs root and apt.
 */
export function cleanVmCache(opts: { kernels?: boolean } = {}, env: NodeJS.ProcessEnv = process.env): CleanResult {
  const targets = [artefactsDir(env), ...(opts.kernels ? [kernelsDir(env)] : [])];
  const out: CleanResult = { removedBytes: 0, removed: [] };
  for (const t of targets) {
    if (!existsSync(t)) continue;
    out.removedBytes += diskUsage(t);
    rmSync(t, { recursive: true, force: true });
    out.removed.push(t);
  }
  return out;
}
