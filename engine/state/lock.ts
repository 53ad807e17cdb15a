// A cross-process lock on a directory entry (mkdir is atomic on every local filesystem). The
// holder's pid and start time are written inside, so a lock left by a crashed process is broken,
// not waited on; so is one whose holder died between the mkdir and the pid write (no pid file
// after STALE_EMPTY_MS: writing it takes microseconds).
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { isAlive, startTime } from '../host/procfs';

export const STALE_EMPTY_MS = 5000;

/** The holder named in a lock's pid file is gone (or the pid now belongs to someone else). */
function holderGone(text: string): boolean {
  const [pid, start] = text.trim().split(/\s+/).map(Number);
  if (!Number.isFinite(pid) || pid <= 0) return false;
  if (!isAlive(pid)) return true;
  return Number.isFinite(start) && startTime(pid) !== undefined && startTime(pid) !== start;
}

export async function withLock<T>(lockDir: string, fn: () => Promise<T>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      mkdirSync(lockDir, { mode: 0o700 });
      writeFileSync(path.join(lockDir, 'pid'), `${process.pid} ${startTime(process.pid) ?? ''}`, { mode: 0o600 });
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      let stale = false;
      try {
        stale = holderGone(readFileSync(path.join(lockDir, 'pid'), 'utf8'));
      } catch {
        // No pid file: being created right now, or its creator died before writing it.
        try {
          stale = Date.now() - statSync(lockDir).mtimeMs > STALE_EMPTY_MS;
        } catch {
          // Removed meanwhile: try again.
        }
      }
      if (stale) rmSync(lockDir, { recursive: true, force: true });
      else if (Date.now() > deadline) throw new Error(`timed out waiting for lock ${lockDir}`);
      else await new Promise((r) => setTimeout(r, 15));
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(lockDir, { recursive: true, force: true });
  }
}
