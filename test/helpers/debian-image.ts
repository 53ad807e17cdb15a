// The realistic test image: Debian bookworm with python3, made by mmdebstrap from the apt mirror
// this host already uses (~190 MB unpacked, a minute or two to build), stored as a one-layer OCI
// layout tagged `python`. Cached by a hash of its recipe under the test-image cache, so only the
// first run on a machine pays for it (scripts/setup.mjs may build it ahead).
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync, mkdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { testImageCache } from './test-images';
import { withLock } from '../../engine/state/lock';

/** mmdebstrap on a busy machine can take several minutes; a second test file waits for the first. */
const BUILD_LOCK_WAIT_MS = 20 * 60_000;

const SUITE = 'bookworm';
const PACKAGES = ['python3-minimal'];
const RECIPE = `mmdebstrap --variant=apt --include=${PACKAGES.join(',')} --format=tar ${SUITE}; gzip layer; v1`;

async function hashFile(file: string): Promise<string> {
  const h = createHash('sha256');
  for await (const c of createReadStream(file)) h.update(c as Buffer);
  return h.digest('hex');
}

function putJson(layout: string, v: unknown): { digest: string; size: number } {
  const b = Buffer.from(JSON.stringify(v));
  const hex = createHash('sha256').update(b).digest('hex');
  writeFileSync(path.join(layout, 'blobs', 'sha256', hex), b);
  return { digest: `sha256:${hex}`, size: b.length };
}

export function debianImageDir(): string {
  return path.join(testImageCache(), `debian-python-${createHash('sha256').update(RECIPE).digest('hex').slice(0, 16)}`);
}

/** The layout (built on first use, once across processes); `${layout}:python`. */
export async function debianPythonLayout(log: (s: string) => void = () => undefined): Promise<string> {
  const dir = debianImageDir();
  const layout = path.join(dir, 'layout');
  if (existsSync(path.join(layout, 'index.json'))) return layout;
  mkdirSync(path.dirname(dir), { recursive: true });
  return withLock(`${dir}.lock`, () => buildLayout(dir, layout, log), BUILD_LOCK_WAIT_MS);
}

async function buildLayout(dir: string, layout: string, log: (s: string) => void): Promise<string> {
  if (existsSync(path.join(layout, 'index.json'))) return layout;
  const tmp = `${dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(path.join(tmp, 'layout', 'blobs', 'sha256'), { recursive: true });
  try {
    const tar = path.join(tmp, 'rootfs.tar');
    log(`building the Debian+python3 test image with mmdebstrap (a minute or two)`);
    const r = spawnSync('mmdebstrap', ['--quiet', '--variant=apt', `--include=${PACKAGES.join(',')}`, '--format=tar', SUITE, tar], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`mmdebstrap failed: ${r.stderr}`);
    const diffId = `sha256:${await hashFile(tar)}`;
    const gz = path.join(tmp, 'layer.gz');
    await pipeline(createReadStream(tar), createGzip({ level: 6 }), createWriteStream(gz));
    const layerHex = await hashFile(gz);
    const lay = path.join(tmp, 'layout');
    renameSync(gz, path.join(lay, 'blobs', 'sha256', layerHex));
    rmSync(tar);
    const config = putJson(lay, {
      architecture: 'amd64',
      os: 'linux',
      created: '2025-01-01T00:00:00Z',
      config: { Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'LANG=C.UTF-8'], Cmd: ['python3'], WorkingDir: '/' },
      rootfs: { type: 'layers', diff_ids: [diffId] },
    });
    const layer = { mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: `sha256:${layerHex}`, size: statSync(path.join(lay, 'blobs', 'sha256', layerHex)).size };
    const manifest = putJson(lay, { schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config }, layers: [layer] });
    writeFileSync(path.join(lay, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
    writeFileSync(path.join(lay, 'index.json'), JSON.stringify({ schemaVersion: 2, manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', ...manifest, annotations: { 'org.opencontainers.image.ref.name': 'python' } }] }));
    renameSync(tmp, dir);
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    if (existsSync(path.join(layout, 'index.json'))) return layout;
    throw err;
  }
  return layout;
}

/** For the set-up script: build it now if missing. */
if (require.main === module) {
  debianPythonLayout((s) => console.log(`[debian-image] ${s}`)).then((l) => console.log(l), (err: Error) => {
    console.error(err.message);
    process.exitCode = 1;
  });
}

