// The engine's image store as the language server sees it: read-only, and cheap enough to ask on
// every keystroke. The list of image records is cached and read again only when the store's
// `refs/` folder changed (one stat, at most once a second); image configs are cached by digest,
// since a digest's content never changes. Nothing here writes to the store or waits on its locks.
import { statSync } from 'node:fs';
import path from 'node:path';
import type { ImageConfig } from '../../../engine/images/media-types';
import { ImageStore, type ImageRecord } from '../../../engine/images/store';

/** How often the store is looked at again, at most (a stat of one folder). */
export const IMAGE_STORE_CHECK_MS = 1000;
/** Configs are a few KB; anything much bigger is not read on the typing path. */
const MAX_CONFIG_BYTES = 1024 * 1024;

export interface ImageCatalog {
  /** Every image record in the store, sorted by name (cached). */
  list(): readonly ImageRecord[];
  /** The record stored under this exact store name (`docker.io/library/alpine:3.20`). */
  find(name: string): ImageRecord | undefined;
  /** The image's config (entrypoint, cmd, platform...), or undefined when unreadable. */
  config(rec: ImageRecord): ImageConfig | undefined;
  /** Calls `listener` when the store's list changed (polled every few seconds); returns a stop function. */
  onDidChange(listener: () => void, intervalMs?: number): () => void;
}

/** A catalog over the image store in `cacheDir` (the engine's cache directory). */
export function storeCatalog(cacheDir: string, now: () => number = Date.now): ImageCatalog {
  const store = new ImageStore(cacheDir);
  const refsDir = path.join(store.root, 'refs');
  let records: ImageRecord[] = [];
  let byName = new Map<string, ImageRecord>();
  let stamp: string | undefined;
  let checkedAt = -Infinity;
  const configs = new Map<string, ImageConfig | undefined>();

  /** Re-reads the records when refs/ changed (writes are a rename into it, removals an unlink). */
  const refresh = (): boolean => {
    checkedAt = now();
    let next: string;
    try {
      const st = statSync(refsDir);
      next = `${st.ino}:${st.mtimeMs}`;
    } catch {
      next = 'none';
    }
    if (next === stamp) return false;
    stamp = next;
    records = next === 'none' ? [] : store.records();
    byName = new Map(records.map((r) => [r.name, r]));
    return true;
  };
  const fresh = () => {
    if (now() - checkedAt >= IMAGE_STORE_CHECK_MS) refresh();
  };

  return {
    list() {
      fresh();
      return records;
    },
    find(name) {
      fresh();
      return byName.get(name);
    },
    config(rec) {
      if (configs.has(rec.configDigest)) return configs.get(rec.configDigest);
      let cfg: ImageConfig | undefined;
      try {
        if (statSync(store.blobPath(rec.configDigest)).size <= MAX_CONFIG_BYTES) cfg = store.readJson<ImageConfig>(rec.configDigest);
      } catch {
        cfg = undefined; // a pruned or unreadable blob: the hover shows the record alone
      }
      configs.set(rec.configDigest, cfg);
      return cfg;
    },
    onDidChange(listener, intervalMs = 2000) {
      fresh();
      const timer = setInterval(() => {
        if (refresh()) listener();
      }, intervalMs);
      timer.unref();
      return () => clearInterval(timer);
    },
  };
}
