// An OCI image's unpacked rootfs as an ext4 disk image, for the microvm and vm levels: built
// once per image (and recipe) with `mke2fs -d`, which needs no root, under a lock so concurrent
// launches wait for one build; written to a temporary name and renamed, so a crash mid-build
// leaves no half image a later launch could take for a whole one. VMs attach it read-only or
// through a throw-away QEMU snapshot, never writing it.
import { existsSync, lstatSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { EngineError } from '../errors';
import type { ImageRecord, ImageStore } from '../images/store';
import { runCommand } from '../runner';
import { withLock } from '../state/lock';

/** Part of every disk's file name: changing how disks are made (options, sizing) bumps it. */
export const DISK_RECIPE = 'ext4-v1';
const BLOCK = 4096;
const MIB = 1024 * 1024;
/** Free room for what the guest writes to its root (the file is sparse: unused room costs nothing). */
const HEADROOM_BYTES = 128 * MIB;
const BUILD_LOCK_WAIT_MS = 30 * 60 * 1000;
const MKE2FS_TIMEOUT_MS = 10 * 60 * 1000;

export function disksDir(store: ImageStore): string {
  return path.join(store.root, 'disks');
}

export function imageDiskPath(store: ImageStore, manifestDigest: string): string {
  return path.join(disksDir(store), `${manifestDigest.slice(7)}-${DISK_RECIPE}.ext4`);
}

/** The manifest hex a disk file belongs to, or undefined for one of another recipe or a temporary. */
export function diskManifestHex(file: string): string | undefined {
  const m = new RegExp(`^([0-9a-f]{64})-${DISK_RECIPE}\\.ext4$`).exec(file);
  return m?.[1];
}

export interface DiskSize {
  bytes: number;
  inodes: number;
}

/** What the tree needs in 4 KiB blocks and inodes (each hard-linked file once), plus room to write. */
export function diskSizeFor(rootfs: string): DiskSize {
  let blocks = 0;
  let inodes = 0;
  const seen = new Set<number>();
  const walk = (p: string) => {
    const st = lstatSync(p);
    if (st.nlink > 1 && !st.isDirectory()) {
      if (seen.has(st.ino)) return;
      seen.add(st.ino);
    }
    inodes++;
    if (st.isDirectory()) {
      const names = readdirSync(p);
      // A directory block holds ~100 entries of ordinary length.
      blocks += Math.max(1, Math.ceil(names.length / 100));
      for (const n of names) walk(path.join(p, n));
    } else if (st.isFile()) blocks += Math.ceil(st.size / BLOCK) + (st.size > 12 * BLOCK ? 1 : 0);
    else if (st.isSymbolicLink() && st.size >= 60) blocks += 1; // shorter targets live in the inode
  };
  walk(rootfs);
  const used = blocks * BLOCK + inodes * 256;
  const bytes = Math.ceil((used * 1.2 + HEADROOM_BYTES) / MIB) * MIB;
  return { bytes, inodes: Math.ceil(inodes * 1.25) + 4096 };
}

export function mke2fsArgs(rootfs: string, file: string, size: DiskSize): string[] {
  return [
    '-q', '-F', '-t', 'ext4', '-b', String(BLOCK), '-I', '256', '-N', String(size.inodes), '-m', '0',
    // No journal: every VM writes to a throw-away layer, so there is nothing to replay, and
    // mounting skips it. Inode tables are zeroed now, not by a guest thread under TCG later.
    '-O', '^has_journal', '-E', 'lazy_itable_init=0', '-L', 'spectrum-root',
    '-d', rootfs, file, `${size.bytes / 1024}k`,
  ];
}

/**
 * The image's ext4 disk (built from its unpacked `rootfs` on first use). Returns its path in
 * the image store's disks/ folder; `spectrum image prune` removes the ones no image names.
 */
export async function ensureImageDisk(store: ImageStore, rec: ImageRecord, rootfs: string): Promise<string> {
  const file = imageDiskPath(store, rec.manifestDigest);
  if (existsSync(file)) return file;
  mkdirSync(disksDir(store), { recursive: true });
  return withLock(store.lockDir(`disk-${rec.manifestDigest.slice(7)}`), async () => {
    if (existsSync(file)) return file;
    const tmp = `${file}.tmp-${process.pid}`;
    rmSync(tmp, { force: true });
    try {
      const r = await runCommand({ command: 'mke2fs', args: mke2fsArgs(rootfs, tmp, diskSizeFor(rootfs)) }, { timeoutMs: MKE2FS_TIMEOUT_MS });
      if (r.exitCode !== 0) throw new EngineError(`could not build the ext4 disk of image ${rec.name}: mke2fs: ${r.stderr.trim() || `exit ${r.exitCode}`}`);
      renameSync(tmp, file);
    } catch (err) {
      rmSync(tmp, { force: true });
      if (err instanceof EngineError && /mke2fs not found/.test(err.message)) {
        throw new EngineError('mke2fs is not installed (it builds the disk an image boots from at the microvm and vm levels)', [], 'apt-get install e2fsprogs');
      }
      if (err instanceof EngineError) throw err;
      throw new EngineError(`could not build the ext4 disk of image ${rec.name}: ${(err as Error).message}`);
    }
    return file;
  }, BUILD_LOCK_WAIT_MS);
}

/** Removes disks of images no longer stored (and of older recipes); returns [count, bytes]. */
export function pruneImageDisks(store: ImageStore, keepManifestHex: Set<string>, usage: (p: string) => number): { disks: number; bytes: number } {
  const dir = disksDir(store);
  const out = { disks: 0, bytes: 0 };
  if (!existsSync(dir)) return out;
  for (const f of readdirSync(dir)) {
    if (f.includes('.tmp-')) continue;
    const hex = diskManifestHex(f);
    if (hex && keepManifestHex.has(hex)) continue;
    out.bytes += usage(path.join(dir, f));
    rmSync(path.join(dir, f), { force: true });
    out.disks++;
  }
  return out;
}
