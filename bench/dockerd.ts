// A private dockerd for the benches that compare with `docker run` (bench/cli.bench.ts,
// bench/launch.bench.ts): Debian's docker.io, installed when missing and we are root, with its own
// data and exec roots under a folder the bench owns, vfs storage and no bridge or iptables changes
// (../shared/HOST.md), and the bench's busybox rootfs imported as an image.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

// docker.io's own paths: another `docker` client earlier on PATH may not match this daemon.
export const DOCKERD = '/usr/sbin/dockerd';
export const DOCKER = '/usr/bin/docker';
/** The image the rootfs is imported as. */
export const BENCH_IMAGE = 'spectrum-bench-busybox';

function sh(cmd: string, args: string[]): void {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 120_000 });
  if (r.error || r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: ${r.error?.message ?? `exit ${r.status}`}\n${r.stdout}\n${r.stderr}`);
}

export interface Dockerd {
  docker: string[];
  stop(): Promise<void>;
}

/** docker.io's binaries, installed as root when missing; otherwise the reason there is no docker row. */
export function ensureDocker(): string | undefined {
  if (existsSync(DOCKERD) && existsSync(DOCKER)) return undefined;
  if (process.getuid?.() !== 0) return 'docker.io is not installed and this is not root (apt-get install docker.io)';
  const install = () => spawnSync('apt-get', ['install', '-y', '--no-install-recommends', 'docker.io'], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } }).status === 0;
  if (!install()) {
    spawnSync('apt-get', ['update'], { stdio: 'inherit' });
    if (!install()) return 'apt-get install docker.io failed';
  }
  return undefined;
}

/** A private dockerd (HOST.md) with its roots under `d`: own data and exec roots, vfs, no bridge or iptables changes. */
export async function startDockerd(d: string, rootfs: string, opts: { runtimes?: Record<string, string> } = {}): Promise<Dockerd> {
  mkdirSync(d, { recursive: true });
  const sock = path.join(d, 'docker.sock');
  const child = spawn(DOCKERD, [
    '--data-root', path.join(d, 'data'), '--exec-root', path.join(d, 'exec'), '--pidfile', path.join(d, 'dockerd.pid'),
    '-H', `unix://${sock}`, '--storage-driver', 'vfs', '--iptables=false', '--ip6tables=false', '--bridge=none',
    // e.g. runsc for `docker run --runtime=runsc`.
    ...Object.entries(opts.runtimes ?? {}).flatMap(([name, bin]) => ['--add-runtime', `${name}=${bin}`]),
  ], { detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.on('error', (err) => (log += `\n${err.message}`));
  child.stderr.on('data', (c: Buffer) => (log = (log + c.toString()).slice(-4000)));
  const docker = [DOCKER, '-H', `unix://${sock}`];
  const stop = async () => {
    if (child.exitCode === null) {
      try {
        process.kill(-child.pid!, 'SIGTERM');
      } catch {
        // gone already
      }
      const deadline = Date.now() + 20_000;
      while (child.exitCode === null && child.signalCode === null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // the whole group is gone
      }
    }
    // dockerd leaves mounts (its netns files, shm) under its roots when it dies hard.
    const mounts = readFileSync('/proc/self/mounts', 'utf8').split('\n').map((l) => l.split(' ')[1]).filter((m) => m?.startsWith(d)).reverse();
    for (const m of mounts) spawnSync('umount', ['-l', m]);
  };
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (spawnSync(docker[0], [...docker.slice(1), 'version'], { encoding: 'utf8' }).status === 0) break;
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`dockerd did not start:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  const tar = path.join(d, 'rootfs.tar');
  sh('tar', ['-C', rootfs, '-cf', tar, '.']);
  sh(docker[0], [...docker.slice(1), 'import', tar, BENCH_IMAGE]);
  return { docker, stop };
}
