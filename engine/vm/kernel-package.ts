// Fetches Debian's guest kernel (the package `linux-image-amd64` currently depends on) into the
// cache with `apt-get download` + `dpkg-deb -x`: no install, no root needed for the download
// itself, only a current apt package list. Keeps the bzImage, the extracted vmlinux and the
// modules guests use (with a derived modules.dep), not the package's 400 MB of modules.
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { run } from './exec';
import { extractVmlinux } from './bzimage';
import { CACHED_MODULES, deriveModulesDep, formatModulesDep, parseModulesBuiltin } from './modules';
import { kernelsDir } from './cache';

export const KERNEL_META_PACKAGE = 'linux-image-amd64';

/** `apt-cache depends linux-image-amd64` -> `linux-image-6.1.0-56-amd64`. */
export function parseAptDepends(text: string): string | undefined {
  const m = text.match(/^\s*Depends:\s*(linux-image-\S+)/m);
  return m?.[1];
}

export interface CachedKernelMeta {
  release: string;
  package: string;
  fetchedAt: string;
}

export interface CachedKernel extends CachedKernelMeta {
  dir: string;
  bzImage: string;
  vmlinux: string;
  modulesDir: string;
}

export function cachedKernelAt(dir: string): CachedKernel | undefined {
  const metaPath = path.join(dir, 'kernel.json');
  if (!existsSync(metaPath)) return undefined;
  const meta = JSON.parse(readFileSync(metaPath, 'utf8')) as CachedKernelMeta;
  const k = { ...meta, dir, bzImage: path.join(dir, 'vmlinuz'), vmlinux: path.join(dir, 'vmlinux'), modulesDir: path.join(dir, 'modules') };
  return existsSync(k.bzImage) && existsSync(k.vmlinux) ? k : undefined;
}

/** The package name for the current guest kernel. */
export async function currentKernelPackage(): Promise<string> {
  const { stdout } = await run('apt-cache', ['depends', KERNEL_META_PACKAGE]);
  const pkg = parseAptDepends(stdout);
  if (!pkg) throw new Error(`apt-cache knows no ${KERNEL_META_PACKAGE}; run: apt-get update`);
  return pkg;
}

/** `linux-image-6.1.0-56-amd64` -> `6.1.0-56-amd64`. */
export function releaseOfPackage(pkg: string): string {
  return pkg.replace(/^linux-image-/, '');
}

/** Fetches the Debian guest kernel into the cache unless that release is there already. */
export async function fetchDebianKernel(opts: { log?: (msg: string) => void; dir?: string } = {}): Promise<CachedKernel> {
  const log = opts.log ?? (() => undefined);
  const root = opts.dir ?? kernelsDir();
  const pkg = await currentKernelPackage();
  const release = releaseOfPackage(pkg);
  const dest = path.join(root, release);
  const have = cachedKernelAt(dest);
  if (have) return have;
  mkdirSync(root, { recursive: true });
  const tmp = path.join(root, `.tmp-${release}-${process.pid}`);
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  try {
    log(`downloading ${pkg}`);
    await run('apt-get', ['download', '-q', pkg], { cwd: tmp, timeoutMs: 600_000 });
    const deb = readdirSync(tmp).find((n) => n.endsWith('.deb'));
    if (!deb) throw new Error(`apt-get download ${pkg} produced no .deb`);
    const x = path.join(tmp, 'x');
    log(`unpacking ${deb}`);
    await run('dpkg-deb', ['-x', path.join(tmp, deb), x], { timeoutMs: 300_000 });
    const out = path.join(tmp, 'out');
    mkdirSync(out);
    copyFileSync(path.join(x, 'boot', `vmlinuz-${release}`), path.join(out, 'vmlinuz'));
    copyFileSync(path.join(x, 'boot', `config-${release}`), path.join(out, 'config'));
    log('extracting vmlinux');
    await extractVmlinux(path.join(out, 'vmlinuz'), path.join(out, 'vmlinux'));
    const srcMods = path.join(x, 'lib', 'modules', release);
    const builtinText = readFileSync(path.join(srcMods, 'modules.builtin'), 'utf8');
    const order = readFileSync(path.join(srcMods, 'modules.order'), 'utf8').split('\n').filter(Boolean);
    const dep = deriveModulesDep(srcMods, order, CACHED_MODULES, parseModulesBuiltin(builtinText));
    const mods = path.join(out, 'modules');
    for (const rel of dep.keys()) {
      mkdirSync(path.dirname(path.join(mods, rel)), { recursive: true });
      copyFileSync(path.join(srcMods, rel), path.join(mods, rel));
    }
    writeFileSync(path.join(mods, 'modules.dep'), formatModulesDep(dep));
    writeFileSync(path.join(mods, 'modules.builtin'), builtinText);
    const meta: CachedKernelMeta = { release, package: pkg, fetchedAt: new Date().toISOString() };
    writeFileSync(path.join(out, 'kernel.json'), JSON.stringify(meta, null, 2) + '\n');
    rmSync(dest, { recursive: true, force: true });
    renameSync(out, dest);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  const k = cachedKernelAt(dest);
  if (!k) throw new Error(`guest kernel cache at ${dest} is incomplete`);
  log(`guest kernel ${release} cached in ${dest}`);
  return k;
}
