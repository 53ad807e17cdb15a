// A one-layer OCI image layout written byte by byte (no umoci or skopeo): enough for tests that
// need the engine to import a real image into its store in milliseconds, with a config they choose.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { gzipTar, sha256 } from './tar-layers';

export interface TinyImageConfig {
  Entrypoint?: string[];
  Cmd?: string[];
  WorkingDir?: string;
  User?: string;
}

/** Writes the layout into `dir` under `tag`; returns the manifest digest. */
export function writeTinyLayout(dir: string, tag: string, config: TinyImageConfig = {}, created = '2024-05-01T12:00:00Z'): string {
  const blobs = path.join(dir, 'blobs', 'sha256');
  mkdirSync(blobs, { recursive: true });
  const put = (b: Buffer): { digest: string; size: number } => {
    const digest = sha256(b);
    writeFileSync(path.join(blobs, digest.slice(7)), b);
    return { digest, size: b.length };
  };
  const tar = gzipTar([{ path: 'hello.txt', body: 'hello\n' }]);
  const layer = put(tar);
  const diffId = sha256(gunzipSync(tar));
  const cfg = put(Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', created, config, rootfs: { type: 'layers', diff_ids: [diffId] } })));
  const manifest = put(
    Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...cfg },
        layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', ...layer }],
      }),
    ),
  );
  writeFileSync(path.join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  writeFileSync(
    path.join(dir, 'index.json'),
    JSON.stringify({ schemaVersion: 2, manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', ...manifest, annotations: { 'org.opencontainers.image.ref.name': tag } }] }),
  );
  return manifest.digest;
}
