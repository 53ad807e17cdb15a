// Test images, built with umoci from the host's busybox-static into one OCI layout, cached by a
// hash of their inputs under ~/.cache/isolation-spectrum/test-images so reruns skip the build:
//   tiny      one layer: busybox, entrypoint /bin/sh -c, env, workdir
//   whiteout  two layers, the upper deleting and replacing files of the lower
//   asapp     tiny, run as the user `app` (1000:1000) its /etc/passwd names
//   multi     an index with linux/amd64 (tiny) and a linux/arm64 entry
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync, copyFileSync, chmodSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const BUSYBOX = '/usr/bin/busybox';
const RECIPE_VERSION = 'v3';

export function testImageCache(): string {
  return path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'isolation-spectrum', 'test-images');
}

function run(cmd: string, args: string[], cwd?: string): string {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

function sha(b: Buffer | string): string {
  return createHash('sha256').update(b).digest('hex');
}

function busyboxInto(rootfs: string): void {
  mkdirSync(path.join(rootfs, 'bin'), { recursive: true });
  copyFileSync(BUSYBOX, path.join(rootfs, 'bin', 'busybox'));
  chmodSync(path.join(rootfs, 'bin', 'busybox'), 0o755);
  for (const applet of ['sh', 'cat', 'ls', 'echo', 'env', 'pwd', 'id', 'uname', 'test']) symlinkSync('busybox', path.join(rootfs, 'bin', applet));
  mkdirSync(path.join(rootfs, 'etc'), { recursive: true });
  writeFileSync(path.join(rootfs, 'etc', 'passwd'), 'root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000:app:/home/app:/bin/sh\n');
  writeFileSync(path.join(rootfs, 'etc', 'group'), 'root:x:0:\napp:x:1000:\n');
  for (const d of ['tmp', 'proc', 'sys', 'dev', 'home/app']) mkdirSync(path.join(rootfs, d), { recursive: true });
  chmodSync(path.join(rootfs, 'tmp'), 0o1777);
}

function build(layout: string, work: string): void {
  const bundle = path.join(work, 'bundle');
  run('umoci', ['init', '--layout', layout]);
  run('umoci', ['new', '--image', `${layout}:base`]);
  run('umoci', ['unpack', '--rootless', '--image', `${layout}:base`, bundle]);
  const rootfs = path.join(bundle, 'rootfs');
  busyboxInto(rootfs);
  writeFileSync(path.join(rootfs, 'etc', 'doomed'), 'lower\n');
  writeFileSync(path.join(rootfs, 'etc', 'replaced'), 'lower\n');
  mkdirSync(path.join(rootfs, 'data', 'old'), { recursive: true });
  writeFileSync(path.join(rootfs, 'data', 'old', 'a'), 'a\n');
  run('umoci', ['repack', '--image', `${layout}:base`, bundle]);
  const cfg = (tag: string, from: string, extra: string[]) => run('umoci', ['config', '--image', `${layout}:${from}`, '--tag', tag, ...extra]);
  cfg('tiny', 'base', ['--config.entrypoint', '/bin/sh', '--config.entrypoint', '-c', '--config.cmd', 'echo "$GREETING from $(pwd)"', '--config.env', 'GREETING=hello', '--config.env', 'PATH=/bin', '--config.workingdir', '/home/app', '--config.exposedports', '8080/tcp', '--architecture', 'amd64', '--os', 'linux']);
  // The upper layer: one file deleted, one replaced, a directory emptied and refilled. umoci
  // diffs against the bundle's unpack, so the lower image is unpacked afresh first.
  const bundle2 = path.join(work, 'bundle2');
  run('umoci', ['unpack', '--rootless', '--image', `${layout}:tiny`, bundle2]);
  const upper = path.join(bundle2, 'rootfs');
  rmSync(path.join(upper, 'etc', 'doomed'));
  writeFileSync(path.join(upper, 'etc', 'replaced'), 'upper\n');
  rmSync(path.join(upper, 'data', 'old'), { recursive: true });
  mkdirSync(path.join(upper, 'data', 'old'));
  writeFileSync(path.join(upper, 'data', 'old', 'b'), 'b\n');
  run('umoci', ['repack', '--image', `${layout}:two`, bundle2]);
  cfg('whiteout', 'two', ['--config.cmd', '/bin/sh', '--config.env', 'PATH=/bin', '--architecture', 'amd64', '--os', 'linux']);
  cfg('arm', 'tiny', ['--architecture', 'arm64', '--os', 'linux']);
  cfg('asapp', 'tiny', ['--config.user', 'app', '--clear=config.cmd', '--config.cmd', 'echo "$(id -u):$(id -g) in $(pwd)"']);
  addIndex(layout, 'multi', [
    ['tiny', { os: 'linux', architecture: 'amd64' }],
    ['arm', { os: 'linux', architecture: 'arm64', variant: 'v8' }],
  ]);
}

interface Entry {
  mediaType: string;
  digest: string;
  size: number;
  annotations?: Record<string, string>;
  platform?: object;
}

function addIndex(layout: string, tag: string, members: [string, object][]): void {
  const file = path.join(layout, 'index.json');
  const top = JSON.parse(readFileSync(file, 'utf8')) as { manifests: Entry[] };
  const byTag = (t: string) => top.manifests.find((m) => m.annotations?.['org.opencontainers.image.ref.name'] === t) as Entry;
  const index = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests: members.map(([t, platform]) => ({ mediaType: byTag(t).mediaType, digest: byTag(t).digest, size: byTag(t).size, platform })) }));
  const hex = sha(index);
  writeFileSync(path.join(layout, 'blobs', 'sha256', hex), index);
  top.manifests.push({ mediaType: 'application/vnd.oci.image.index.v1+json', digest: `sha256:${hex}`, size: index.length, annotations: { 'org.opencontainers.image.ref.name': tag } });
  writeFileSync(file, JSON.stringify(top));
}

/** The layout holding every test image (built on first use). */
export function testImageLayout(): string {
  const key = sha(`${RECIPE_VERSION}\n${sha(readFileSync(BUSYBOX))}\n${readFileSync(__filename, 'utf8')}`).slice(0, 16);
  const dir = path.join(testImageCache(), `busybox-${key}`);
  const layout = path.join(dir, 'layout');
  if (existsSync(path.join(layout, 'index.json'))) return layout;
  const tmp = `${dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  try {
    build(path.join(tmp, 'layout'), tmp);
    for (const b of ['bundle', 'bundle2']) rmSync(path.join(tmp, b), { recursive: true, force: true });
    mkdirSync(path.dirname(dir), { recursive: true });
    renameSync(tmp, dir);
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    if (existsSync(path.join(layout, 'index.json'))) return layout;
    throw err;
  }
  return layout;
}
