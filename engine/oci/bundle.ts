// Prepares the OCI bundle a container or gVisor sandbox runs from. `image:` is `busybox` (the
// cached rootfs, or a private copy when the root is writable or needs mount points), a directory
// used as the rootfs, or an existing bundle directory (holding config.json) used as is once its
// privileges were judged; an OCI image (reference, oci-layout:, docker-archive:) runs from the
// image store with its config's process (engine/images).
// Sync fs on purpose: a few small calls on the launch path, where each async hop costs a turn
// of a possibly busy event loop.
import { existsSync, mkdirSync, readFileSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { DriverContext } from '../drivers/driver';
import { EngineError } from '../errors';
import { buildOciConfig } from './config';
import { bundlePrivileges, PrivilegeError } from './privileges';
import { busyboxRootfs, copyRootfs, imageRootfs, type ImageRootfs } from './rootfs';
import { imageProcess } from '../images/process';
import { isStoreImage } from '../images/source';
import { withNetns } from '../net/bundle-netns';

export interface PreparedBundle {
  bundleDir: string;
  rootfs: string;
  /** The user's own bundle, run unchanged. */
  given: boolean;
}

/** `netns`: a network namespace file the container joins (network: outbound, engine/net). */
export async function prepareBundle(ctx: DriverContext, opts: { netns?: string } = {}): Promise<PreparedBundle> {
  const { spec } = ctx;
  const image = spec.image ?? 'busybox';
  const fromStore = isStoreImage(image);
  if (!fromStore && image !== 'busybox' && !path.isAbsolute(image)) {
    throw new EngineError(`${spec.name}: image '${image}' is not busybox, a directory or an image`, [], 'image: busybox, a path to a rootfs or OCI bundle directory, or an image reference');
  }
  if (!fromStore && image !== 'busybox' && existsSync(path.join(image, 'config.json'))) return givenBundle(ctx, image, opts.netns);
  let rootfs: string;
  let img: ImageRootfs | undefined;
  if (fromStore) {
    img = await imageRootfs(ctx);
    rootfs = img.rootfs;
  } else if (image === 'busybox') {
    const cached = await busyboxRootfs(ctx.cacheDir);
    if (spec.readonly && spec.mounts.length === 0) rootfs = cached;
    else {
      rootfs = path.join(ctx.dir, 'rootfs');
      await copyRootfs(cached, rootfs);
    }
  } else {
    if (!existsSync(image) || !statSync(image).isDirectory()) throw new EngineError(`${spec.name}: image directory ${image} does not exist`);
    rootfs = realpathSync(image);
  }
  const bundleDir = path.join(ctx.dir, 'bundle');
  mkdirSync(bundleDir, { recursive: true });
  // Rootless runc needs the user namespace in the config; runsc --rootless sets up its own and
  // fails to start its gofer when the config asks for one too.
  const rootless = ctx.host.isRoot || spec.isolation !== 'container' ? undefined : { uid: ctx.host.uid, gid: typeof process.getgid === 'function' ? process.getgid() : ctx.host.uid };
  const config = buildOciConfig(img?.forcedReadonly ? { ...spec, readonly: true } : spec, { rootfs, rootless, netns: opts.netns });
  if (img) {
    const p = imageProcess(img.config, spec, img.lower, config.process.env);
    // Without root only the caller's own uid is mapped: the image's User cannot apply.
    Object.assign(config.process, { args: p.args, env: p.env, cwd: p.cwd, ...(ctx.host.isRoot ? { user: p.user } : {}) });
  }
  writeFileSync(path.join(bundleDir, 'config.json'), JSON.stringify(config));
  return { bundleDir, rootfs, given: false };
}

async function givenBundle(ctx: DriverContext, dir: string, netns?: string): Promise<PreparedBundle> {
  let config: { root?: { path?: string }; mounts?: Array<{ type?: string; source?: string; options?: string[] }>; linux?: { namespaces?: Array<{ type: string; path?: string }> } };
  try {
    config = JSON.parse(readFileSync(path.join(dir, 'config.json'), 'utf8'));
  } catch (err) {
    throw new EngineError(`${dir}/config.json is not valid JSON: ${(err as Error).message}`);
  }
  const privileges = bundlePrivileges(config, dir);
  if (privileges.length && !ctx.unsafe) throw new PrivilegeError(`the bundle ${dir}`, privileges);
  // The runtime gets the very config that was judged (a copy in the sandbox's own directory), so
  // an edit to the bundle between the check and the start changes nothing.
  const root = config.root?.path ?? 'rootfs';
  const rootfs = path.resolve(dir, root);
  const judged = { ...config, root: { ...config.root, path: existsSync(rootfs) ? realpathSync(rootfs) : rootfs } };
  judged.mounts = (config.mounts ?? []).map((m) => (m.source && !path.isAbsolute(m.source) && (m.type === 'bind' || (m.options ?? []).some((o) => o === 'bind' || o === 'rbind')) ? { ...m, source: path.resolve(dir, m.source) } : m));
  const bundleDir = path.join(ctx.dir, 'bundle');
  mkdirSync(bundleDir, { recursive: true });
  writeFileSync(path.join(bundleDir, 'config.json'), JSON.stringify(netns ? withNetns(judged, netns) : judged));
  return { bundleDir, rootfs, given: true };
}
