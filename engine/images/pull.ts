// Pulling an image from a registry into the store: the manifest (through an index to this host's
// platform), then the config and the layers, fetched in parallel, each verified while it streams.
import { EngineError } from '../errors';
import { isIndexType, isManifestType, type ImageConfig, type ImageIndex, type ImageManifest, type Platform } from './media-types';
import { formatPlatform, hostPlatform, pickPlatform } from './platform';
import { formatReference, parseReference } from './reference';
import { RegistryClient, type RegistryClientOptions } from './registry-client';
import type { ImageRecord, ImageStore } from './store';

export interface PullProgress {
  digest: string;
  /** Bytes of this blob received so far, and its size. */
  bytes: number;
  total: number;
  /** The blob was in the store already. */
  cached: boolean;
  done: boolean;
}

export interface PullOptions extends RegistryClientOptions {
  platform?: Platform;
  onProgress?: (p: PullProgress) => void;
  /** Blobs fetched at once. */
  parallel?: number;
}

/** Runs `fn` over `items`, at most `n` at a time; every item is settled before any error is thrown. */
export async function inParallel<T>(items: T[], n: number, fn: (item: T) => Promise<void>): Promise<void> {
  const errors: unknown[] = [];
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++];
      await fn(item).catch((err: unknown) => void errors.push(err));
    }
  };
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, worker));
  if (errors.length) throw errors[0];
}

export function parseManifest(bytes: Buffer, where: string): ImageManifest {
  const m = JSON.parse(bytes.toString('utf8')) as ImageManifest;
  if (!m || typeof m !== 'object' || !m.config?.digest || !Array.isArray(m.layers)) throw new EngineError(`${where}: not an image manifest`);
  return m;
}

export async function pullImage(store: ImageStore, input: string, opts: PullOptions = {}): Promise<ImageRecord> {
  const ref = parseReference(input);
  const name = formatReference(ref);
  const client = new RegistryClient(ref.registry, opts);
  const repo = ref.repository;
  let top = await client.manifest(repo, ref.digest ?? (ref.tag as string));
  let indexDigest: string | undefined;
  const platform = opts.platform ?? hostPlatform();
  if (isIndexType(top.mediaType)) {
    store.putBytes(top.digest, top.bytes);
    indexDigest = top.digest;
    const index = JSON.parse(top.bytes.toString('utf8')) as ImageIndex;
    const chosen = pickPlatform(index.manifests ?? [], platform);
    top = await client.manifest(repo, chosen.digest);
  }
  if (!isManifestType(top.mediaType)) throw new EngineError(`${name}: unsupported manifest type ${top.mediaType || '(none)'}`);
  const manifest = parseManifest(top.bytes, name);
  const blobs = [manifest.config, ...manifest.layers];
  await inParallel(blobs, opts.parallel ?? 4, async (d) => {
    let bytes = 0;
    const report = (done: boolean, cached: boolean) => opts.onProgress?.({ digest: d.digest, bytes, total: d.size, cached, done });
    const wrote = await store.putStream(d.digest, d.size, () => client.blob(repo, d.digest), (n) => {
      bytes += n;
      report(false, false);
    });
    report(true, !wrote);
  });
  // A cancel that came after the last byte still leaves no image: the record is what makes one.
  if (opts.signal?.aborted) throw new EngineError('the pull was cancelled');
  // The manifest goes in last, so a stored manifest always has its blobs beside it.
  store.putBytes(top.digest, top.bytes);
  const config = store.readJson<ImageConfig>(manifest.config.digest);
  const rec: ImageRecord = {
    name,
    manifestDigest: top.digest,
    ...(indexDigest ? { indexDigest } : {}),
    configDigest: manifest.config.digest,
    layers: manifest.layers.map((l) => l.digest),
    size: blobs.reduce((s, d) => s + d.size, 0),
    platform: formatPlatform({ os: config.os ?? platform.os, architecture: config.architecture ?? platform.architecture }),
    ...(config.created ? { created: config.created } : {}),
    pulledAt: new Date().toISOString(),
  };
  store.saveRecord(rec);
  return rec;
}
