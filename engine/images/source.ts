// What an `image:` value names: the host's busybox, a directory (rootfs or bundle), an OCI
// layout, a docker-archive file, or a registry reference.
import path from 'node:path';

export type ImageSource =
  | { kind: 'busybox' }
  | { kind: 'directory'; path: string }
  | { kind: 'oci-layout'; spec: string }
  | { kind: 'docker-archive'; path: string }
  | { kind: 'reference'; reference: string };

export const OCI_LAYOUT_PREFIX = 'oci-layout:';
export const DOCKER_ARCHIVE_PREFIX = 'docker-archive:';

/** `PATH[:TAG]`: a tag is whatever follows the last colon, if it holds no slash. */
export function splitLayoutSpec(spec: string): { dir: string; tag?: string } {
  const i = spec.lastIndexOf(':');
  if (i > 0 && !spec.slice(i + 1).includes('/')) return { dir: spec.slice(0, i), tag: spec.slice(i + 1) };
  return { dir: spec };
}

export function classifyImage(image: string): ImageSource {
  if (image === 'busybox') return { kind: 'busybox' };
  if (image.startsWith(OCI_LAYOUT_PREFIX)) return { kind: 'oci-layout', spec: image.slice(OCI_LAYOUT_PREFIX.length) };
  if (image.startsWith(DOCKER_ARCHIVE_PREFIX)) return { kind: 'docker-archive', path: image.slice(DOCKER_ARCHIVE_PREFIX.length) };
  if (path.isAbsolute(image) || image.startsWith('.') || image.startsWith('~')) return { kind: 'directory', path: image };
  return { kind: 'reference', reference: image };
}

/** Paths in an `image:` value resolved against the spec's folder; references left as they are. */
export function resolveImageValue(image: string, resolvePath: (p: string) => string): string {
  const src = classifyImage(image);
  if (src.kind === 'directory') return resolvePath(src.path);
  if (src.kind === 'oci-layout') return `${OCI_LAYOUT_PREFIX}${resolvePath(src.spec)}`;
  if (src.kind === 'docker-archive') return `${DOCKER_ARCHIVE_PREFIX}${resolvePath(src.path)}`;
  return image;
}

/** The image comes from the store (pulled or imported), not from the host's files in place. */
export function isStoreImage(image: string): boolean {
  const k = classifyImage(image).kind;
  return k === 'reference' || k === 'oci-layout' || k === 'docker-archive';
}
