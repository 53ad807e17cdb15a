// The image operations the engine API offers (pull, list, remove, prune), over the store in the
// engine's cache directory. `inUse` maps a manifest digest to the sandboxes launched from it.
import { EngineError } from '../errors';
import { pruneStore, type PruneResult } from './prune';
import type { PullProgress } from './pull';
import { familiarReference, parseReference } from './reference';
import { resolveImage, storeName } from './resolve';
import { classifyImage } from './source';
import { ImageStore, type ImageRecord } from './store';
import { pullImage } from './pull';

export interface ImageInfo {
  /** Fully qualified (`docker.io/library/alpine:3.20`) or the source (`oci-layout:/abs:tag`). */
  name: string;
  /** What people type: `alpine:3.20`. */
  shortName: string;
  digest: string;
  size: number;
  platform: string;
  created?: string;
  pulledAt: string;
  /** Sandboxes (ids) launched from this image that are still known. */
  usedBy: string[];
}

export type { PruneResult, PullProgress };

export interface ImagePullOptions {
  onProgress?: (p: PullProgress) => void;
  signal?: AbortSignal;
  env?: NodeJS.ProcessEnv;
}

function info(rec: ImageRecord, inUse: Map<string, string[]>): ImageInfo {
  let shortName = rec.name;
  if (classifyImage(rec.name).kind === 'reference') shortName = familiarReference(parseReference(rec.name));
  return {
    name: rec.name,
    shortName,
    digest: rec.manifestDigest,
    size: rec.size,
    platform: rec.platform,
    ...(rec.created ? { created: rec.created } : {}),
    pulledAt: rec.pulledAt,
    usedBy: inUse.get(rec.manifestDigest) ?? [],
  };
}

export function imageService(cacheDir: string, inUse: () => Promise<Map<string, string[]>>) {
  const store = new ImageStore(cacheDir);
  return {
    /** A reference is always fetched again (a tag may have moved); local sources when changed. */
    async pull(image: string, opts: ImagePullOptions = {}): Promise<ImageInfo> {
      const src = classifyImage(image);
      const rec = src.kind === 'reference' ? await pullImage(store, src.reference, opts) : await resolveImage(store, image, opts);
      return info(rec, await inUse());
    },
    async list(): Promise<ImageInfo[]> {
      const used = await inUse();
      return store.records().map((r) => info(r, used));
    },
    /** Forgets the name; the bytes go at the next prune. */
    async remove(image: string): Promise<ImageInfo> {
      const name = storeName(image);
      const rec = store.record(name);
      if (!rec || !store.removeRecord(name)) throw new EngineError(`no image ${image} in the store (spectrum images lists them)`);
      return info(rec, await inUse());
    },
    async prune(): Promise<PruneResult> {
      return pruneStore(store, (await inUse()).keys());
    },
  };
}
