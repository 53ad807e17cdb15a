// Which tar entries may land on the host. A copy out of a sandbox reads a tar stream the sandbox
// wrote, so it is untrusted: every entry must stay under the one top entry asked for, and no
// entry may go through a symlink the same archive made (the classic "symlink, then a file
// through it" escape). A refusal refuses the whole copy.
import path from 'node:path';

export type EntryVerdict = { ok: true; path: string } | { ok: false; reason: string } | { ok: 'skip'; reason: string };

const KEPT_TYPES = new Set(['File', 'OldFile', 'ContiguousFile', 'Directory', 'SymbolicLink', 'Link']);

/** Archive path -> clean relative path, or undefined when it climbs out or is absolute. */
export function cleanEntryPath(p: string): string | undefined {
  if (p.includes('\0') || p.includes('\\')) return undefined;
  if (path.posix.isAbsolute(p) || /^[A-Za-z]:/.test(p)) return undefined;
  const parts = p.split('/').filter((s) => s !== '' && s !== '.');
  if (parts.some((s) => s === '..')) return undefined;
  return parts.join('/');
}

export class EntryChecker {
  private readonly symlinks = new Set<string>();

  constructor(private readonly top: string) {}

  check(entry: { path: string; type: string; linkpath?: string }): EntryVerdict {
    const p = cleanEntryPath(entry.path);
    if (p === undefined) return { ok: false, reason: `entry '${entry.path}' points outside the destination` };
    if (p !== this.top && !p.startsWith(`${this.top}/`)) return { ok: false, reason: `entry '${entry.path}' is not under '${this.top}'` };
    const through = this.throughSymlink(p);
    if (through) return { ok: false, reason: `entry '${entry.path}' goes through the symlink '${through}'` };
    if (!KEPT_TYPES.has(entry.type)) return { ok: 'skip', reason: `${entry.path}: ${entry.type} entries are not copied` };
    if (entry.type === 'Link') {
      // A hard link names another entry of the archive; it must be one of ours too.
      const target = cleanEntryPath(entry.linkpath ?? '');
      if (target === undefined || (target !== this.top && !target.startsWith(`${this.top}/`)) || this.throughSymlink(target) || this.symlinks.has(target)) {
        return { ok: false, reason: `hard link '${entry.path}' -> '${entry.linkpath}' points outside the destination` };
      }
    }
    if (entry.type === 'SymbolicLink') this.symlinks.add(p);
    else this.symlinks.delete(p);
    return { ok: true, path: p };
  }

  /** The first proper parent of `p` that an earlier entry made a symlink. */
  private throughSymlink(p: string): string | undefined {
    const parts = p.split('/');
    for (let i = 1; i < parts.length; i++) {
      const parent = parts.slice(0, i).join('/');
      if (this.symlinks.has(parent)) return parent;
    }
    return undefined;
  }
}
