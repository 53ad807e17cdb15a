// The environment of a private engine world under `root`: its own XDG state, cache and runtime
// folders and the built monitor, so tests and benchmarks never touch the user's sandboxes.
import path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');

export function privateEngineEnv(root: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    XDG_STATE_HOME: path.join(root, 'state'),
    XDG_CACHE_HOME: path.join(root, 'cache'),
    XDG_RUNTIME_DIR: path.join(root, 'run'),
    SPECTRUM_MONITOR_SCRIPT: path.join(REPO_ROOT, 'dist', 'monitor.js'),
  };
}
