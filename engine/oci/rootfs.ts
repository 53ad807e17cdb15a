// Root filesystems for containers and gVisor: `busybox` is made once from the host's
// busybox-static into the cache and shared read-only; a sandbox that may write its root or
// needs mount points gets its own copy (a copy, not hard links, so it can't alter the cache).
// OCI images come from the image store, unpacked once and never copied (see imageRootfs).
import { promises as fs, existsSync, statSync } from 'node:fs';
import path from 'node:path';
import type { DriverContext } from '../drivers/driver';
import type { ImageConfig } from '../images/media-types';
import { leaveRootfsSteps, overlaySteps } from '../images/overlay';
import { resolveImage } from '../images/resolve';
import { ensureRootfs } from '../images/rootfs-cache';
import { ImageStore, type ImageRecord } from '../images/store';
import { runCommand } from '../runner';
import { EngineError } from '../errors';

export const BUSYBOX_PATH = '/usr/bin/busybox';
const DIRS = ['bin', 'dev', 'etc', 'proc', 'root', 'sys', 'tmp', 'var', 'run', 'usr/bin', 'sbin'];

/** The cached busybox rootfs, built on first use; keyed by the binary's size and mtime. */
export async function busyboxRootfs(cacheDir: string, busybox = BUSYBOX_PATH): Promise<string> {
  if (!existsSync(busybox)) {
    throw new EngineError(`busybox-static is not installed (${busybox} is missing)`, [], 'apt-get install busybox-static');
  }
  const st = statSync(busybox);
  const dir = path.join(cacheDir, 'rootfs', `busybox-${st.size}-${Math.floor(st.mtimeMs)}`);
  if (existsSync(path.join(dir, 'bin', 'sh'))) return dir;
  const tmp = `${dir}.tmp-${process.pid}-${Date.now()}`;
  await fillBusybox(tmp, busybox);
  try {
    await fs.rename(tmp, dir);
  } catch (err) {
    // Another process built it first: keep theirs.
    await fs.rm(tmp, { recursive: true, force: true });
    if (!existsSync(path.join(dir, 'bin', 'sh'))) throw err;
  }
  return dir;
}

async function fillBusybox(dir: string, busybox: string): Promise<void> {
  for (const d of DIRS) await fs.mkdir(path.join(dir, d), { recursive: true });
  await fs.copyFile(busybox, path.join(dir, 'bin', 'busybox'));
  await fs.chmod(path.join(dir, 'bin', 'busybox'), 0o755);
  const { stdout } = await runCommand({ command: busybox, args: ['--list'] });
  for (const applet of stdout.split('\n').map((s) => s.trim())) {
    if (!applet || applet === 'busybox' || applet.includes('/')) continue;
    await fs.symlink('busybox', path.join(dir, 'bin', applet)).catch(() => undefined);
  }
  await fs.chmod(path.join(dir, 'tmp'), 0o1777);
  await fs.writeFile(path.join(dir, 'etc', 'passwd'), 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n');
  await fs.writeFile(path.join(dir, 'etc', 'group'), 'root:x:0:\nnobody:x:65534:\n');
}

/** A private copy of `src` (symlinks kept as links, files copied). */
export async function copyRootfs(src: string, dest: string): Promise<void> {
  await fs.cp(src, dest, { recursive: true, verbatimSymlinks: true, preserveTimestamps: true });
}

export interface ImageRootfs {
  /** What the runtime gets as root.path. */
  rootfs: string;
  /** The cached, unpacked image (the overlay's lower layer). */
  lower: string;
  /** The image's root is read-only whatever the spec says (no overlay without root). */
  forcedReadonly: boolean;
  config: ImageConfig;
  record: ImageRecord;
}

/**
 * The rootfs of an OCI image (`image:` a reference, oci-layout: or docker-archive:): pulled or
 * imported when missing, unpacked once into the cache, then seen through a per-sandbox overlay
 * (root) or read-only (rootless). Returns what the bundle needs; the mount steps go to the plan.
 */
export async function imageRootfs(ctx: DriverContext): Promise<ImageRootfs> {
  const { spec } = ctx;
  const store = new ImageStore(ctx.cacheDir);
  const record = await resolveImage(store, spec.image as string, { env: ctx.env });
  const lower = await ensureRootfs(store, record);
  const config = store.readJson<ImageConfig>(record.configDigest);
  const extra: Record<string, unknown> = { image: record.name, imageDigest: record.manifestDigest };
  if (config.config?.ExposedPorts) extra.exposedPorts = Object.keys(config.config.ExposedPorts);
  if (ctx.host.isRoot) {
    const o = overlaySteps(lower, ctx.dir);
    leaveRootfsSteps(ctx, { before: [o.mount], cleanup: [o.unmount], extra: { ...extra, rootfsMode: 'overlay: the cached image below, writes in the sandbox directory' } });
    return { rootfs: o.paths.merged, lower, forcedReadonly: false, config, record };
  }
  // Rootless: the runtime would create missing mount points in the shared cache; refuse instead.
  for (const m of spec.mounts) {
    if (!existsSync(path.join(lower, m.target))) {
      throw new EngineError(`${spec.name}: the image has no ${m.target} to mount onto, and without root the image's root is read-only (no overlay)`, [], `create ${m.target} in the image, or run as root`);
    }
  }
  leaveRootfsSteps(ctx, { before: [], cleanup: [], extra: { ...extra, rootfsMode: 'read-only image root (no overlay without root; /tmp is a tmpfs)' } });
  return { rootfs: lower, lower, forcedReadonly: !spec.readonly, config, record };
}
