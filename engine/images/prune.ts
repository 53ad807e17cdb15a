// Removing images: `rmi` forgets a name; prune deletes every blob, unpacked rootfs and ext4 disk that no
// remaining image and no running sandbox references, and says how many bytes that freed.
import { existsSync, lstatSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { ImageStore } from './store';
import { pruneImageDisks } from '../vm/image-disk';

export interface PruneResult {
  blobs: number;
  rootfs: number;
  /** ext4 disks of images (the microvm and vm levels boot them). */
  disks: number;
  bytes: number;
}

/** Bytes a tree occupies on disk (blocks, so hard-linked or sparse files are not overcounted by much). */
export function diskUsage(p: string): number {
  let st;
  try {
    st = lstatSync(p);
  } catch {
    return 0;
  }
  let total = st.blocks * 512;
  if (st.isDirectory()) for (const c of readdirSync(p)) total += diskUsage(path.join(p, c));
  return total;
}

/** `inUse`: manifest digests of images that running sandboxes were launched from. */
export function pruneStore(store: ImageStore, inUse: Iterable<string> = []): PruneResult {
  const keepBlobs = new Set<string>();
  const keepRootfs = new Set<string>();
  for (const d of inUse) keepRootfs.add(d.slice(7));
  for (const rec of store.records()) {
    for (const d of [rec.manifestDigest, rec.configDigest, ...rec.layers, ...(rec.indexDigest ? [rec.indexDigest] : [])]) keepBlobs.add(d.slice(7));
    keepRootfs.add(rec.manifestDigest.slice(7));
  }
  const out: PruneResult = { blobs: 0, rootfs: 0, disks: 0, bytes: 0 };
  const blobDir = path.join(store.root, 'blobs', 'sha256');
  if (existsSync(blobDir)) {
    for (const f of readdirSync(blobDir)) {
      if (keepBlobs.has(f) || f.includes('.partial-')) continue;
      out.bytes += diskUsage(path.join(blobDir, f));
      rmSync(path.join(blobDir, f), { force: true });
      out.blobs++;
    }
  }
  const rootDir = path.join(store.root, 'rootfs');
  if (existsSync(rootDir)) {
    for (const f of readdirSync(rootDir)) {
      if (keepRootfs.has(f) || f.includes('.tmp-')) continue;
      out.bytes += diskUsage(path.join(rootDir, f));
      rmSync(path.join(rootDir, f), { recursive: true, force: true });
      out.rootfs++;
    }
  }
  const disks = pruneImageDisks(store, keepRootfs, diskUsage);
  out.disks = disks.disks;
  out.bytes += disks.bytes;
  return out;
}
