// Unpacks an untrusted tar stream (from a sandbox) onto the host. Everything is written into a
// fresh staging folder beside the destination first, so a refused or failed copy removes that
// folder and nothing else was touched; only a complete, checked copy is moved into place.
import { lstatSync, mkdtempSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { Unpack } from 'tar';
import { EngineError } from '../errors';
import { EntryChecker } from './entry-check';

/** Where a copy out lands: `into` an existing folder under its own name, or `as` a new name. */
export function hostTarget(hostPath: string, base: string): { parent: string; name: string } {
  const abs = path.resolve(hostPath);
  let st;
  try {
    st = statSync(abs);
  } catch {
    st = undefined;
  }
  if (st?.isDirectory()) return { parent: abs, name: base };
  const parent = path.dirname(abs);
  let pst;
  try {
    pst = statSync(parent);
  } catch {
    pst = undefined;
  }
  if (!pst?.isDirectory()) throw new EngineError(`no such folder on the host: ${parent}`);
  return { parent, name: path.basename(abs) };
}

export interface ExtractResult {
  /** Where the copy is now. */
  path: string;
  /** Entries left out (device nodes, fifos...), each with why. */
  skipped: string[];
}

/**
 * Reads the tar from `stream` (one top entry named `top`) and puts it at `parent/name`.
 * `finished` resolves when the producer is done and says whether it succeeded; a refusal calls
 * `abort` so the producer stops.
 */
export async function extractToHost(
  stream: Readable,
  o: { top: string; parent: string; name: string; finished: Promise<void>; abort: () => void },
): Promise<ExtractResult> {
  const staging = mkdtempSync(path.join(o.parent, '.spectrum-cp-'));
  const checker = new EntryChecker(o.top);
  const skipped: string[] = [];
  let refused: string | undefined;
  let entries = 0;
  try {
    const unpack = new Unpack({
      cwd: staging,
      strict: true,
      // Owned by whoever copies, never by ids from inside the sandbox.
      preserveOwner: false,
      chmod: true,
      processUmask: 0,
      filter: (_p, entry) => {
        if (refused) return false;
        const e = entry as unknown as { path: string; type: string; linkpath?: string; mode?: number };
        const v = checker.check(e);
        if (v.ok === false) {
          refused = v.reason;
          o.abort();
          return false;
        }
        if (v.ok === 'skip') {
          skipped.push(v.reason);
          return false;
        }
        // A sandbox must not be able to hand the host a setuid or setgid program.
        if (typeof e.mode === 'number') e.mode &= 0o1777;
        entries++;
        return true;
      },
    });
    const unpacked = new Promise<void>((resolve, reject) => {
      unpack.on('close', () => resolve());
      unpack.on('error', (err: Error) => reject(err));
    });
    stream.pipe(unpack);
    const [u, f] = await Promise.allSettled([unpacked, o.finished]);
    if (refused) throw new EngineError(`copy refused: ${refused}; nothing was written`);
    if (f.status === 'rejected') throw f.reason;
    if (u.status === 'rejected') throw new EngineError(`copy failed: the sandbox sent a broken tar stream (${(u.reason as Error).message}); nothing was written`);
    if (entries === 0) throw new EngineError('copy failed: the sandbox sent no files; nothing was written');
    const final = path.join(o.parent, o.name);
    replaceWith(path.join(staging, o.top), final);
    return { path: final, skipped };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/** Moves the staged copy into place; replaces a file, never a folder (nothing is lost). */
function replaceWith(staged: string, final: string): void {
  let existing;
  try {
    existing = lstatSync(final);
  } catch {
    existing = undefined;
  }
  if (existing?.isDirectory()) throw new EngineError(`${final} is a folder that already exists; nothing was written`, [], 'copy into it (give the folder as the destination) or remove it first');
  renameSync(staged, final);
}
