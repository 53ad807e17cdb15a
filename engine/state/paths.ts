// Where the engine keeps things. State (the single source of truth, shared by every window and
// CLI) under $XDG_STATE_HOME; caches under $XDG_CACHE_HOME; sockets and runtime roots in a short
// runtime directory, because unix socket paths must stay under 108 bytes.
import { chmodSync, lstatSync, mkdirSync } from 'node:fs';
import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { EngineError } from '../errors';

export const APP = 'isolation-spectrum';

export interface EnginePaths {
  /** $XDG_STATE_HOME/isolation-spectrum */
  state: string;
  /** One directory per sandbox id. */
  sandboxes: string;
  cache: string;
  /** Short directory for sockets and runtime state (runc/runsc roots, per-sandbox dirs). */
  runtime: string;
}

export function enginePaths(env: NodeJS.ProcessEnv = process.env): EnginePaths {
  const home = os.homedir();
  const state = path.join(env.XDG_STATE_HOME || path.join(home, '.local', 'state'), APP);
  const cache = path.join(env.XDG_CACHE_HOME || path.join(home, '.cache'), APP);
  const uid = typeof process.getuid === 'function' ? process.getuid() : 0;
  let runtime = env.XDG_RUNTIME_DIR ? path.join(env.XDG_RUNTIME_DIR, APP) : runtimeFallback(env.TMPDIR || os.tmpdir(), uid, state);
  // Leave room for "<id>/qmp.sock" style names (id is up to ~40 chars).
  if (runtime.length > 50) runtime = runtimeFallback('/tmp', uid, state);
  return { state, sandboxes: path.join(state, 'sandboxes'), cache, runtime };
}

/**
 * The runtime folder when XDG_RUNTIME_DIR gives none (or too long a one): in the shared temp
 * folder, so it is named after the state folder too. Two state folders of one user (the CLI's
 * default and an extension's `stateDir`, or test worlds) must never share one: `down --all` in
 * one removes runtime folders it has no record of, and runc/runsc keep their state there.
 */
export function runtimeFallback(tmp: string, uid: number, stateDir: string): string {
  const tag = createHash('sha256').update(stateDir).digest('hex').slice(0, 8);
  return path.join(tmp, `spectrum-${uid}-${tag}`);
}

export function sandboxDir(p: EnginePaths, id: string): string {
  return path.join(p.sandboxes, id);
}

export function sandboxRunDir(p: EnginePaths, id: string): string {
  return path.join(p.runtime, id);
}

/**
 * Creates `dir` (and missing parents) private to this user, and refuses one that someone else
 * could reach: a directory in /tmp may have been made in advance by another user, to read our
 * sockets or swap our files. It must be a real directory (not a symlink), owned by us; a group-
 * or world-accessible one of ours is tightened to 0700.
 */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const st = lstatSync(dir);
  const uid = typeof process.getuid === 'function' ? process.getuid() : st.uid;
  const mode = (st.mode & 0o777).toString(8).padStart(4, '0');
  if (st.isSymbolicLink() || !st.isDirectory()) {
    throw new EngineError(`refusing ${dir}: it is a symbolic link or not a directory`, [], `remove it (rm ${dir}) so the engine can create its own, or set XDG_RUNTIME_DIR`);
  }
  if (st.uid !== uid) {
    throw new EngineError(`refusing ${dir}: it is owned by uid ${st.uid}, not by this user (uid ${uid}), with mode ${mode}; another user could read or replace what the engine keeps there`, [], `remove it (rm -r ${dir}) so the engine can create its own, or set XDG_RUNTIME_DIR`);
  }
  if (st.mode & 0o077) chmodSync(dir, 0o700);
}
