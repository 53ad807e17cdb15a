// Which kernel a VM boots. `kernel: auto` takes $SPECTRUM_KERNEL when set (the extension's
// kernel-path setting), else a readable host kernel, else the Debian guest kernel the set-up
// cached; a path is used as given. Either way, a bzImage is turned into its uncompressed
// vmlinux (cached by content hash) because that boots about twice as fast under TCG, and the
// kernel's modules are found by its release.
import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { detectKernelFormat, extractVmlinux, type KernelFormat, parseBzImageHeader, releaseFromVersion, releaseFromVmlinux } from './bzimage';
import { artefactsDir, kernelSearchDirs } from './cache';
import { type CachedKernel, cachedKernelAt } from './kernel-package';

export interface GuestKernel {
  /** The image QEMU boots. */
  path: string;
  format: KernelFormat;
  /** `uname -r` inside the guest, when it could be read from the image. */
  release?: string;
  /** Module root holding modules.dep for this release, when one is known. */
  modulesDir?: string;
  /** `env`: `kernel: auto` with SPECTRUM_KERNEL set. */
  source: 'spec' | 'host' | 'cache' | 'env';
  /** The bzImage `path` was extracted from. */
  bzImage?: string;
}

export class KernelError extends Error {
  constructor(message: string, readonly fix?: string) {
    super(message);
    this.name = 'KernelError';
  }
}

export const FETCH_KERNEL_FIX = 'sudo npm run setup   (or: node scripts/setup.mjs; it runs apt-get download linux-image-<version>-amd64 into the cache)';

function readHead(p: string, n: number): Buffer {
  const fd = openSync(p, 'r');
  try {
    const b = Buffer.alloc(n);
    const got = readSync(fd, b, 0, n, 0);
    return b.subarray(0, got);
  } finally {
    closeSync(fd);
  }
}

/** Newest guest kernel in the cache (by fetch time), if any. */
export function newestCachedKernel(env: NodeJS.ProcessEnv = process.env): CachedKernel | undefined {
  const found: CachedKernel[] = [];
  for (const d of kernelSearchDirs(env)) {
    if (!existsSync(d)) continue;
    for (const name of readdirSync(d)) {
      if (name.startsWith('.')) continue;
      const k = cachedKernelAt(path.join(d, name));
      if (k) found.push(k);
    }
  }
  return found.sort((a, b) => b.fetchedAt.localeCompare(a.fetchedAt))[0];
}

/** The module root for `release`: the cache's copy, else the host's /lib/modules. */
export function modulesDirFor(release: string | undefined, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (!release) return undefined;
  for (const d of kernelSearchDirs(env)) {
    const m = path.join(d, release, 'modules');
    if (existsSync(path.join(m, 'modules.dep'))) return m;
  }
  const host = path.join('/lib/modules', release);
  return existsSync(path.join(host, 'modules.dep')) ? host : undefined;
}

async function vmlinuxFor(bzImage: string, env: NodeJS.ProcessEnv): Promise<string> {
  const st = statSync(bzImage);
  const key = createHash('sha256').update(`${path.resolve(bzImage)}\0${st.size}\0${st.mtimeMs}`).digest('hex').slice(0, 24);
  const dir = artefactsDir(env);
  const out = path.join(dir, `vmlinux-${key}`);
  if (!existsSync(out)) {
    mkdirSync(dir, { recursive: true });
    await extractVmlinux(bzImage, out);
  }
  return out;
}

/** Describes a kernel image file: its format and release. Throws a KernelError when it is none. */
export function inspectKernelFile(p: string): { format: KernelFormat; release?: string } {
  if (!existsSync(p)) throw new KernelError(`kernel ${p} does not exist`, 'set `kernel:` to a vmlinux or bzImage path, or to auto');
  if (!statSync(p).isFile()) throw new KernelError(`kernel ${p} is not a file`);
  const head = readHead(p, 0x400);
  const format = detectKernelFormat(head);
  if (!format) throw new KernelError(`${p} is not a Linux kernel (neither an ELF vmlinux nor a bzImage)`, 'point `kernel:` at a vmlinux or bzImage (e.g. /boot/vmlinuz-*), or use auto');
  if (format === 'bzImage') {
    try {
      return { format, release: releaseFromVersion(parseBzImageHeader(readHead(p, 0x8000), statSync(p).size).version) };
    } catch (e) {
      throw new KernelError(`${p} is a damaged bzImage: ${(e as Error).message}`);
    }
  }
  return { format, release: releaseFromVmlinux(readFileSync(p)) };
}

export interface ResolveOptions {
  /** Boot the compressed bzImage as is (benchmarks compare both). */
  preferBzImage?: boolean;
  env?: NodeJS.ProcessEnv;
  /** The host's kernel image (tests point it elsewhere). */
  hostKernel?: string;
}

export async function resolveGuestKernel(kernel: string, opts: ResolveOptions = {}): Promise<GuestKernel> {
  const env = opts.env ?? process.env;
  let file: string;
  let source: GuestKernel['source'];
  if (kernel === 'auto' && env.SPECTRUM_KERNEL) {
    // The extension's kernel-path setting (or the user's shell) names the kernel for `auto`.
    file = path.resolve(env.SPECTRUM_KERNEL);
    source = 'env';
    if (!existsSync(file)) throw new KernelError(`SPECTRUM_KERNEL names ${file}, which does not exist`, 'fix the kernel path setting (SPECTRUM_KERNEL), or unset it to let `kernel: auto` pick one');
  } else if (kernel === 'auto') {
    const host = opts.hostKernel ?? `/boot/vmlinuz-${os.release()}`;
    const cached = newestCachedKernel(env);
    if (readable(host)) {
      file = host;
      source = 'host';
    } else if (cached) {
      if (!opts.preferBzImage) return { path: cached.vmlinux, format: 'vmlinux', release: cached.release, modulesDir: cached.modulesDir, source: 'cache', bzImage: cached.bzImage };
      return { path: cached.bzImage, format: 'bzImage', release: cached.release, modulesDir: cached.modulesDir, source: 'cache' };
    } else {
      throw new KernelError(`no guest kernel: ${host} is not readable and none is cached`, FETCH_KERNEL_FIX);
    }
  } else {
    file = path.resolve(kernel);
    source = 'spec';
  }
  const info = inspectKernelFile(file);
  const modulesDir = modulesDirFor(info.release, env);
  if (info.format === 'bzImage' && !opts.preferBzImage) {
    try {
      return { path: await vmlinuxFor(file, env), format: 'vmlinux', release: info.release, modulesDir, source, bzImage: file };
    } catch {
      // An unusual compression: boot the bzImage itself, slower but correct.
    }
  }
  return { path: file, format: info.format, release: info.release, modulesDir, source };
}

function readable(p: string): boolean {
  try {
    closeSync(openSync(p, 'r'));
    return true;
  } catch {
    return false;
  }
}
