// Root filesystems for containers and gVisor: `busybox` is made once from the host's
// busybox-static into the cache and shared read-only; a sandbox that may write its root or
// needs mount points gets its own copy (a copy, not hard links, so it can't alter the cache).
import { promises as fs, existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { runCommand } from '../runner';
import { EngineError } from '../errors';

export const BUSYBOX_PATH = '/usr/bin/busybox';
const DIRS = ['bin', 'dev', 'etc', 'proc', 'root', 'sys', 'tmp', 'var', 'run', 'usr/bin', 'sbin'];

/** The cached busybox rootfs, built on first use; keyed by the binary's size and mtime. */
export async function busyboxRootfs(cacheDir: string, busybox = BUSYBOX_PATH): Promise<string> {
  if (!existsSync(busybox)) {
    throw new EngineError(`busybox-static is not installed (${busybox} is missing)`, [], 'apt-get install busybox-static');
  }
  const st = statSync(busybox);
  const dir = path.join(cacheDir, 'rootfs', `busybox-${st.size}-${Math.floor(st.mtimeMs)}`);
  if (existsSync(path.join(dir, 'bin', 'sh'))) return dir;
  const tmp = `${dir}.tmp-${process.pid}-${Date.now()}`;
  await fillBusybox(tmp, busybox);
  try {
    await fs.rename(tmp, dir);
  } catch (err) {
    // Another process built it first: keep theirs.
    await fs.rm(tmp, { recursive: true, force: true });
    if (!existsSync(path.join(dir, 'bin', 'sh'))) throw err;
  }
  return dir;
}

async function fillBusybox(dir: string, busybox: string): Promise<void> {
  for (const d of DIRS) await fs.mkdir(path.join(dir, d), { recursive: true });
  await fs.copyFile(busybox, path.join(dir, 'bin', 'busybox'));
  await fs.chmod(path.join(dir, 'bin', 'busybox'), 0o755);
  const { stdout } = await runCommand({ command: busybox, args: ['--list'] });
  for (const applet of stdout.split('\n').map((s) => s.trim())) {
    if (!applet || applet === 'busybox' || applet.includes('/')) continue;
    await fs.symlink('busybox', path.join(dir, 'bin', applet)).catch(() => undefined);
  }
  await fs.chmod(path.join(dir, 'tmp'), 0o1777);
  await fs.writeFile(path.join(dir, 'etc', 'passwd'), 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n');
  await fs.writeFile(path.join(dir, 'etc', 'group'), 'root:x:0:\nnobody:x:65534:\n');
}

/** A private copy of `src` (symlinks kept as links, files copied). */
export async function copyRootfs(src: string, dest: string): Promise<void> {
  await fs.cp(src, dest, { recursive: true, verbatimSymlinks: true, preserveTimestamps: true });
}
