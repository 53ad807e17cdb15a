// The content-addressed image store in the cache directory, shared by every level, window and
// CLI: blobs/sha256/<hex> (verified before they get that name), refs/ (one JSON record per
// image name), rootfs/<manifest hex>/ (unpacked once) and locks/. A blob is written under a lock
// of its own, so two pulls of one image download each blob once: the second waits, then finds it.
import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { EngineError } from '../errors';
import { withLock } from '../state/lock';
import { isDigest } from './reference';

/** A big layer on a slow link may hold its lock for long; a dead holder is still broken at once. */
const BLOB_LOCK_WAIT_MS = 60 * 60 * 1000;

export interface ImageRecord {
  /** Fully qualified name as pulled (`docker.io/library/alpine:3.20`) or the source (`oci-layout:...`). */
  name: string;
  /** Digest of the platform manifest that was unpacked. */
  manifestDigest: string;
  /** Digest of the index the name pointed to, when it was multi-platform. */
  indexDigest?: string;
  configDigest: string;
  layers: string[];
  /** Sum of the compressed layer and config sizes. */
  size: number;
  platform: string;
  created?: string;
  pulledAt: string;
}

export class ImageStore {
  readonly root: string;

  constructor(cacheDir: string) {
    this.root = path.join(cacheDir, 'images');
  }

  blobPath(digest: string): string {
    if (!isDigest(digest)) throw new EngineError(`not a sha256 digest: ${digest}`);
    return path.join(this.root, 'blobs', 'sha256', digest.slice(7));
  }

  hasBlob(digest: string, size?: number): boolean {
    try {
      const st = statSync(this.blobPath(digest));
      return size === undefined || st.size === size;
    } catch {
      return false;
    }
  }

  readBlob(digest: string): Buffer {
    return readFileSync(this.blobPath(digest));
  }

  readJson<T>(digest: string): T {
    return JSON.parse(this.readBlob(digest).toString('utf8')) as T;
  }

  rootfsDir(manifestDigest: string): string {
    if (!isDigest(manifestDigest)) throw new EngineError(`not a sha256 digest: ${manifestDigest}`);
    return path.join(this.root, 'rootfs', manifestDigest.slice(7));
  }

  lockDir(name: string): string {
    mkdirSync(path.join(this.root, 'locks'), { recursive: true });
    return path.join(this.root, 'locks', name);
  }

  /** Stores a small blob held in memory (manifests, configs) after checking its digest. */
  putBytes(digest: string, bytes: Buffer): void {
    const got = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
    if (got !== digest) throw new EngineError(`content does not match its digest: expected ${digest}, got ${got}`);
    if (this.hasBlob(digest, bytes.length)) return;
    const file = this.blobPath(digest);
    mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.partial-${process.pid}-${Math.random().toString(16).slice(2)}`;
    writeFileSync(tmp, bytes);
    renameSync(tmp, file);
  }

  /**
   * Stores a blob from a byte stream, hashing as it arrives; a wrong digest or size deletes the
   * partial file and throws. `open` runs only when the blob is missing once the lock is held, so
   * concurrent callers fetch it once. Returns whether this call wrote it.
   */
  async putStream(digest: string, size: number | undefined, open: () => Promise<AsyncIterable<Uint8Array>>, onBytes?: (n: number) => void): Promise<boolean> {
    if (this.hasBlob(digest, size)) return false;
    const file = this.blobPath(digest);
    mkdirSync(path.dirname(file), { recursive: true });
    return withLock(this.lockDir(`blob-${digest.slice(7)}`), async () => {
      if (this.hasBlob(digest, size)) return false;
      const tmp = `${file}.partial-${process.pid}`;
      const hash = createHash('sha256');
      let total = 0;
      const fd = openSync(tmp, 'w');
      try {
        for await (const chunk of await open()) {
          total += chunk.length;
          if (size !== undefined && total > size) throw new EngineError(`blob ${digest} is larger than the ${size} bytes its descriptor says`);
          hash.update(chunk);
          for (let off = 0; off < chunk.length; ) off += writeSync(fd, chunk, off);
          onBytes?.(chunk.length);
        }
        closeSync(fd);
        const got = `sha256:${hash.digest('hex')}`;
        if (got !== digest) throw new EngineError(`blob content does not match its digest: expected ${digest}, got ${got}; the partial download was deleted`);
        if (size !== undefined && total !== size) throw new EngineError(`blob ${digest} is ${total} bytes, its descriptor says ${size}; the partial download was deleted`);
        renameSync(tmp, file);
        return true;
      } catch (err) {
        try {
          closeSync(fd);
        } catch {
          // Already closed.
        }
        rmSync(tmp, { force: true });
        throw err;
      }
    }, BLOB_LOCK_WAIT_MS);
  }

  private refFile(name: string): string {
    return path.join(this.root, 'refs', `${encodeURIComponent(name)}.json`);
  }

  saveRecord(rec: ImageRecord): void {
    const file = this.refFile(rec.name);
    mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.tmp-${process.pid}`;
    writeFileSync(tmp, JSON.stringify(rec, null, 1));
    renameSync(tmp, file);
  }

  record(name: string): ImageRecord | undefined {
    try {
      return JSON.parse(readFileSync(this.refFile(name), 'utf8')) as ImageRecord;
    } catch {
      return undefined;
    }
  }

  records(): ImageRecord[] {
    const dir = path.join(this.root, 'refs');
    if (!existsSync(dir)) return [];
    const out: ImageRecord[] = [];
    for (const f of readdirSync(dir)) {
      if (!f.endsWith('.json')) continue;
      const rec = this.record(decodeURIComponent(f.slice(0, -5)));
      if (rec) out.push(rec);
    }
    return out.sort((a, b) => a.name.localeCompare(b.name));
  }

  removeRecord(name: string): boolean {
    const file = this.refFile(name);
    if (!existsSync(file)) return false;
    rmSync(file);
    return true;
  }
}
