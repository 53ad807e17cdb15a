// Mounts a runtime killed half-way leaves inside its runtime directory. runc, for one, bind-mounts
// a copy of its own binary at `runc.XXXXXX` in its state folder while it sets a container up
// (its defence against CVE-2019-5736); killed at that moment (a cancelled launch), the mount
// outlives it and makes the folder impossible to remove (EBUSY).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { runCommand } from '../runner';

/** Mountinfo escapes space, tab, newline and backslash as octal (`\040`). */
function unescapeMountPath(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
}

/** Mount points at or under `dir`, deepest first (so nested ones go before their parents). */
export function mountsUnder(dir: string, mountinfo: string): string[] {
  const root = path.resolve(dir);
  const out: string[] = [];
  for (const line of mountinfo.split('\n')) {
    const field = line.split(' ')[4];
    if (!field) continue;
    const mp = unescapeMountPath(field);
    if (mp === root || mp.startsWith(root + path.sep)) out.push(mp);
  }
  return [...new Set(out)].sort((a, b) => b.length - a.length);
}

/** Detaches every mount left under `dir`; returns what it could not. */
export async function unmountStrays(dir: string, log: (s: string) => void): Promise<string[]> {
  let info: string;
  try {
    info = readFileSync('/proc/self/mountinfo', 'utf8');
  } catch {
    return [];
  }
  const failed: string[] = [];
  for (const mp of mountsUnder(dir, info)) {
    const r = await runCommand({ command: 'umount', args: ['--lazy', mp] }, { timeoutMs: 5000 }).catch((err: Error) => ({ exitCode: -1, stderr: err.message }));
    if (r.exitCode === 0) log(`cleanup: detached a mount the runtime left: ${mp}`);
    else failed.push(mp);
  }
  return failed;
}
