// An OCI image at the microvm and vm levels: the same store and unpacked rootfs as the container
// levels, turned into a cached ext4 disk the guest mounts and runs the image's process in (its
// Entrypoint/Cmd with the spec's overrides, Env, WorkingDir and User), as container levels do.
import { lstatSync } from 'node:fs';
import path from 'node:path';
import type { DriverContext } from '../drivers/driver';
import { EngineError } from '../errors';
import type { ImageConfig } from '../images/media-types';
import { imageProcess } from '../images/process';
import { resolveImage } from '../images/resolve';
import { ensureRootfs } from '../images/rootfs-cache';
import { isStoreImage } from '../images/source';
import { ImageStore } from '../images/store';
import { ensureImageDisk } from './image-disk';
import type { VmLaunchRequest } from './vm-launch';

/** The guest's PATH when the image sets none (the init's own). */
export const GUEST_DEFAULT_PATH = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

function isExecutable(p: string): boolean {
  try {
    const st = lstatSync(p);
    // A symlink may point anywhere in the image (Debian's alternatives are absolute): it is
    // resolved by the guest, inside the image's root.
    return st.isSymbolicLink() || (st.isFile() && (st.mode & 0o111) !== 0);
  } catch {
    return false;
  }
}

/**
 * `name` looked up along the image's PATH in its unpacked `rootfs`, as execvp would in the guest.
 * The guest's busybox runs its own applet for a bare name that is also an applet (`ls`, `sh`),
 * so the image's program must be named by its path.
 */
export function resolveInImage(rootfs: string, name: string, envPath: string | undefined): string {
  if (name.includes('/')) return name;
  for (const dir of (envPath ?? GUEST_DEFAULT_PATH.slice(5)).split(':')) {
    if (!dir.startsWith('/')) continue;
    if (isExecutable(path.join(rootfs, dir, name))) return path.posix.join(dir, name);
  }
  throw new EngineError(`"${name}" is not an executable file in the image's PATH (${envPath ?? 'default'})`, [], 'name the program by its absolute path in the image, or fix command:/entrypoint:');
}

/** Inspect fields an image VM adds. */
export interface ImageVmInfo {
  image: string;
  imageDigest: string;
  imageDisk: string;
  rootfsMode: string;
}

/**
 * For a spec whose `image:` is a stored image: the request rewritten to boot the image's disk and
 * run its process; other requests come back unchanged (with no info).
 */
export async function withImageDisk(ctx: DriverContext, req: VmLaunchRequest): Promise<{ request: VmLaunchRequest; info?: ImageVmInfo }> {
  const { spec } = ctx;
  if (!spec.image || spec.firecrackerConfig || !isStoreImage(spec.image)) return { request: req };
  const store = new ImageStore(ctx.cacheDir);
  const record = await resolveImage(store, spec.image, { env: ctx.env });
  const rootfs = await ensureRootfs(store, record);
  const disk = await ensureImageDisk(store, record, rootfs);
  const config = store.readJson<ImageConfig>(record.configDigest);
  const proc = imageProcess(config, spec, rootfs, [GUEST_DEFAULT_PATH]);
  const env = Object.fromEntries(proc.env.map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
  const [prog, ...rest] = proc.args;
  const request: VmLaunchRequest = {
    ...req,
    image: disk,
    command: [resolveInImage(rootfs, prog, env.PATH), ...rest],
    env,
    imageRun: { uid: proc.user.uid, gid: proc.user.gid, workdir: proc.cwd },
  };
  const rootfsMode = spec.readonly ? 'ext4 disk of the image, attached read-only' : 'ext4 disk of the image, writes to a throw-away QEMU snapshot in the sandbox directory';
  return { request, info: { image: record.name, imageDigest: record.manifestDigest, imageDisk: disk, rootfsMode } };
}
