// A full, read-only or over-quota disk under the state or runtime folder is the user's to fix,
// not an engine bug: say it in words, with the folder, instead of a stack trace.
import { statfsSync } from 'node:fs';
import path from 'node:path';
import { EngineError } from '../errors';

const WORDS: Record<string, string> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'the disk quota is used up',
  EROFS: 'the file system is read-only',
};

/** An EngineError naming the folder (else `dir`) for a disk-full/quota/read-only error; any other error unchanged. */
export function diskError(err: unknown, what: string, dir: string): unknown {
  const e = err as NodeJS.ErrnoException | undefined;
  if (!e?.code || !WORDS[e.code]) return err;
  // The folder the failed call wrote to, when the error says: it may be the cache, not `dir`.
  const where = e.path ? path.dirname(e.path) : dir;
  return new EngineError(`${what}: ${WORDS[e.code]} (${e.code}) in ${where}`, [], `free space there (see df -h ${where}), then launch again`);
}

/**
 * Which of `dirs` sit on a full file system, in words (or undefined): a runtime that failed for
 * lack of space often says so badly (runc: "unable to store init state").
 */
export function fullDisks(dirs: string[]): string | undefined {
  const full = dirs.filter((d) => {
    try {
      const s = statfsSync(d);
      return s.bavail === 0 || s.ffree === 0;
    } catch {
      return false;
    }
  });
  return full.length ? `no space left on the device holding ${full.join(' and ')}` : undefined;
}
