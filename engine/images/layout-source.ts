// Importing from an OCI image layout directory (`oci-layout:PATH[:TAG]`, what `skopeo copy
// oci:` and `umoci` write): its blobs are copied into the store and verified like a pull's.
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { EngineError } from '../errors';
import { isIndexType, isManifestType, type Descriptor, type ImageConfig, type ImageIndex, type Platform } from './media-types';
import { formatPlatform, hostPlatform, pickPlatform } from './platform';
import { parseManifest } from './pull';
import { isDigest } from './reference';
import { splitLayoutSpec } from './source';
import type { ImageRecord, ImageStore } from './store';

const REF_NAME = 'org.opencontainers.image.ref.name';


function layoutBlob(dir: string, digest: string): string {
  if (!isDigest(digest)) throw new EngineError(`the layout ${dir} names a blob "${digest}" that is not a sha256 digest`);
  return path.join(dir, 'blobs', 'sha256', digest.slice(7));
}

async function copyBlob(store: ImageStore, dir: string, d: Descriptor): Promise<void> {
  const file = layoutBlob(dir, d.digest);
  if (!existsSync(file)) throw new EngineError(`the layout ${dir} lacks the blob ${d.digest}`);
  await store.putStream(d.digest, d.size, async () => createReadStream(file));
}

export async function importLayout(store: ImageStore, spec: string, platform: Platform = hostPlatform()): Promise<ImageRecord> {
  const { dir: given, tag } = splitLayoutSpec(spec);
  const dir = path.resolve(given);
  let index: ImageIndex;
  try {
    index = JSON.parse(readFileSync(path.join(dir, 'index.json'), 'utf8')) as ImageIndex;
  } catch (err) {
    throw new EngineError(`${dir} is not an OCI image layout (index.json: ${(err as Error).message})`);
  }
  const entries = index.manifests ?? [];
  const named = tag ? entries.filter((m) => m.annotations?.[REF_NAME] === tag) : entries;
  if (named.length !== 1) {
    const tags = entries.map((m) => m.annotations?.[REF_NAME]).filter(Boolean);
    throw new EngineError(tag ? `the layout ${dir} has no image tagged "${tag}" (tags: ${tags.join(', ') || 'none'})` : `the layout ${dir} holds ${entries.length} images; name one with oci-layout:${given}:TAG (tags: ${tags.join(', ') || 'none'})`);
  }
  let desc = named[0];
  let indexDigest: string | undefined;
  if (isIndexType(desc.mediaType)) {
    await copyBlob(store, dir, desc);
    indexDigest = desc.digest;
    desc = pickPlatform(store.readJson<ImageIndex>(desc.digest).manifests ?? [], platform);
  }
  if (!isManifestType(desc.mediaType)) throw new EngineError(`${dir}: unsupported manifest type ${desc.mediaType}`);
  await copyBlob(store, dir, desc);
  const manifest = parseManifest(store.readBlob(desc.digest), dir);
  for (const d of [manifest.config, ...manifest.layers]) await copyBlob(store, dir, d);
  const config = store.readJson<ImageConfig>(manifest.config.digest);
  const rec: ImageRecord = {
    name: `oci-layout:${dir}${tag ? `:${tag}` : ''}`,
    manifestDigest: desc.digest,
    ...(indexDigest ? { indexDigest } : {}),
    configDigest: manifest.config.digest,
    layers: manifest.layers.map((l) => l.digest),
    size: [manifest.config, ...manifest.layers].reduce((s, d) => s + d.size, 0),
    platform: formatPlatform({ os: config.os ?? platform.os, architecture: config.architecture ?? platform.architecture }),
    ...(config.created ? { created: config.created } : {}),
    pulledAt: new Date().toISOString(),
  };
  store.saveRecord(rec);
  return rec;
}
