// Where the engine keeps things. State (the single source of truth, shared by every window and
// CLI) under $XDG_STATE_HOME; caches under $XDG_CACHE_HOME; sockets and runtime roots in a short
// runtime directory, because unix socket paths must stay under 108 bytes.
import os from 'node:os';
import path from 'node:path';

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
  let runtime = env.XDG_RUNTIME_DIR ? path.join(env.XDG_RUNTIME_DIR, APP) : path.join(os.tmpdir(), `spectrum-${uid}`);
  // Leave room for "<id>/qmp.sock" style names (id is up to ~40 chars).
  if (runtime.length > 50) runtime = path.join('/tmp', `spectrum-${uid}`);
  return { state, sandboxes: path.join(state, 'sandboxes'), cache, runtime };
}

export function sandboxDir(p: EnginePaths, id: string): string {
  return path.join(p.sandboxes, id);
}

export function sandboxRunDir(p: EnginePaths, id: string): string {
  return path.join(p.runtime, id);
}
