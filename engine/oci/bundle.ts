// Prepares the OCI bundle a container or gVisor sandbox runs from. `image:` is `busybox` (the
// cached rootfs, or a private copy when the root is writable or needs mount points), a directory
// used as the rootfs, or an existing bundle directory (holding config.json) used as is once its
// privileges were judged.
// Sync fs on purpose: a few small calls on the launch path, where each async hop costs a turn
// of a possibly busy event loop.
import { existsSync, mkdirSync, readFileSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { DriverContext } from '../drivers/driver';
import { EngineError } from '../errors';
import { buildOciConfig } from './config';
import { bundlePrivileges } from './privileges';
import { busyboxRootfs, copyRootfs } from './rootfs';

export interface PreparedBundle {
  bundleDir: string;
  rootfs: string;
  /** The user's own bundle, run unchanged. */
  given: boolean;
}

export async function prepareBundle(ctx: DriverContext): Promise<PreparedBundle> {
  const { spec } = ctx;
  const image = spec.image ?? 'busybox';
  if (spec.network === 'outbound') {
    throw new EngineError(
      `${spec.name}: network: outbound is not available for ${spec.isolation} sandboxes yet (it needs a bridge or a user-mode network)`,
      [],
      'use network: none (loopback only), or network: host (no network isolation)',
    );
  }
  if (image !== 'busybox' && !path.isAbsolute(image)) {
    throw new EngineError(`${spec.name}: image '${image}' is not busybox or a directory; registry images are not supported`, [], 'image: busybox, or a path to a rootfs or OCI bundle directory');
  }
  if (image !== 'busybox' && existsSync(path.join(image, 'config.json'))) return givenBundle(ctx, image);
  let rootfs: string;
  if (image === 'busybox') {
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
  const config = buildOciConfig(spec, { rootfs, rootless });
  writeFileSync(path.join(bundleDir, 'config.json'), JSON.stringify(config));
  return { bundleDir, rootfs, given: false };
}

async function givenBundle(ctx: DriverContext, dir: string): Promise<PreparedBundle> {
  let config: { root?: { path?: string } };
  try {
    config = JSON.parse(readFileSync(path.join(dir, 'config.json'), 'utf8'));
  } catch (err) {
    throw new EngineError(`${dir}/config.json is not valid JSON: ${(err as Error).message}`);
  }
  const privileges = bundlePrivileges(config);
  if (privileges.length && !ctx.unsafe) {
    throw new EngineError(`the bundle ${dir} asks for privileges: ${privileges.join('; ')}`, [], 'review the bundle, then run again with --unsafe to allow it');
  }
  const root = config.root?.path ?? 'rootfs';
  return { bundleDir: dir, rootfs: path.resolve(dir, root), given: true };
}
