// The guest kernel's release, read from the running guest: its banner ("Linux version X ...")
// sits in guest memory, which QMP `pmemsave` copies out in slices. A guest can fake its banner
// as it could fake uname; what this rules out is reporting the kernel file we meant to boot.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { QmpClient } from '../vm/qmp';

const SLICE = 4 * 1024 * 1024;
// x86-64 kernels load at 16 MiB; scan no further than this past it.
const START = 16 * 1024 * 1024;
const SCAN = 96 * 1024 * 1024;

export function findBanner(buf: Buffer): string | undefined {
  const m = /Linux version (\d+\.\d+[^\s\0]*) \(/.exec(buf.toString('latin1'));
  return m?.[1];
}

export async function guestRelease(c: QmpClient, tmpParent: string, memoryBytes: number, timeoutMs: number): Promise<string | undefined> {
  const dir = mkdtempSync(path.join(tmpParent, 'mem-'));
  try {
    const end = Math.min(memoryBytes, START + SCAN);
    // Slices overlap by a banner's length so one split across two is still found.
    for (let at = START; at < end; at += SLICE - 256) {
      const file = path.join(dir, 'slice');
      await c.execute('pmemsave', { val: at, size: Math.min(SLICE, end - at), filename: file }, timeoutMs);
      const found = findBanner(readFileSync(file));
      if (found) return found;
    }
    return undefined;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
