// Each image is unpacked once, into rootfs/<manifest hex>, under a lock so concurrent launches
// of one image share the work; an unpack that fails leaves nothing behind.
import { existsSync, lstatSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { withLock } from '../state/lock';
import type { ImageConfig, ImageManifest } from './media-types';
import type { ImageRecord, ImageStore } from './store';
import { DEFAULT_LIMITS, unpackLayers, type UnpackLimits } from './unpack';

const UNPACK_LOCK_WAIT_MS = 30 * 60 * 1000;
const MOUNT_POINTS = ['proc', 'sys', 'dev', 'tmp'];

function lstatOrNull(p: string): object | null {
  try {
    return lstatSync(p);
  } catch {
    return null;
  }
}

export async function ensureRootfs(store: ImageStore, rec: ImageRecord, limits: UnpackLimits = DEFAULT_LIMITS): Promise<string> {
  const dir = store.rootfsDir(rec.manifestDigest);
  if (existsSync(dir)) return dir;
  return withLock(store.lockDir(`unpack-${rec.manifestDigest.slice(7)}`), async () => {
    if (existsSync(dir)) return dir;
    const manifest = store.readJson<ImageManifest>(rec.manifestDigest);
    const config = store.readJson<ImageConfig>(rec.configDigest);
    const diffIds = config.rootfs?.diff_ids ?? [];
    const tmp = `${dir}.tmp-${process.pid}`;
    rmSync(tmp, { recursive: true, force: true });
    try {
      await unpackLayers(manifest.layers.map((l, i) => ({ file: store.blobPath(l.digest), diffId: diffIds[i] })), tmp, limits);
      // Mount points every runtime needs, so none ever has to create them in the shared cache.
      for (const d of MOUNT_POINTS) if (!lstatOrNull(path.join(tmp, d))) mkdirSync(path.join(tmp, d), { mode: 0o755 });
      renameSync(tmp, dir);
    } catch (err) {
      rmSync(tmp, { recursive: true, force: true });
      throw err;
    }
    return dir;
  }, UNPACK_LOCK_WAIT_MS);
}
