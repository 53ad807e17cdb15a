// From an `image:` value to a record in the store: a reference already pulled is used as is
// (a launch never re-pulls a tag behind the user's back), one not pulled yet is pulled; layouts
// and archives are imported again only when the file changed since.
import { statSync } from 'node:fs';
import path from 'node:path';
import { EngineError } from '../errors';
import { importArchive } from './archive-source';
import { importLayout } from './layout-source';
import { pullImage, type PullOptions } from './pull';
import { formatReference, parseReference } from './reference';
import { classifyImage, splitLayoutSpec } from './source';
import type { ImageRecord, ImageStore } from './store';

function mtimeOf(p: string): number {
  try {
    return statSync(p).mtimeMs;
  } catch {
    return 0;
  }
}

/** The store's name for an image value (what `images` lists and `rmi` takes). */
export function storeName(image: string): string {
  const src = classifyImage(image);
  if (src.kind === 'reference') return formatReference(parseReference(src.reference));
  if (src.kind === 'oci-layout') {
    const { dir, tag } = splitLayoutSpec(src.spec);
    return `oci-layout:${path.resolve(dir)}${tag ? `:${tag}` : ''}`;
  }
  if (src.kind === 'docker-archive') return `docker-archive:${path.resolve(src.path)}`;
  throw new EngineError(`"${image}" is not a stored image (busybox and directories are used in place)`);
}

export async function resolveImage(store: ImageStore, image: string, opts: PullOptions = {}): Promise<ImageRecord> {
  const src = classifyImage(image);
  const name = storeName(image);
  const have = store.record(name);
  if (src.kind === 'reference') return have && store.hasBlob(have.manifestDigest) ? have : pullImage(store, src.reference, opts);
  if (src.kind === 'oci-layout') {
    const { dir } = splitLayoutSpec(src.spec);
    if (have && Date.parse(have.pulledAt) > mtimeOf(path.join(dir, 'index.json')) && store.hasBlob(have.manifestDigest)) return have;
    return importLayout(store, src.spec, opts.platform);
  }
  if (src.kind === 'docker-archive') {
    if (have && Date.parse(have.pulledAt) > mtimeOf(src.path) && store.hasBlob(have.manifestDigest)) return have;
    return importArchive(store, src.path);
  }
  throw new EngineError(`"${image}" is not a stored image`);
}
