// Where the runtimes are: a PATH lookup in the engine's own environment (not the process's: the
// extension host's PATH is not the one the user configured), with explicit per-runtime variables
// first. Resolving is cheap (a few access() calls), so it runs on every snapshot: a binary that
// is gone is never reported, whatever a cache says.
import { accessSync, constants } from 'node:fs';
import path from 'node:path';
import type { Isolation } from '../spec/types';
import { findWorkerd } from './workerd-path';

/** Every binary a snapshot looks for; workerd is found through its npm package (workerd-path.ts). */
export const BINARY_NAMES = ['runc', 'runsc', 'crun', 'busybox', 'qemu-system-x86_64', 'firecracker', 'nvidia-smi', 'bwrap', 'workerd', 'pasta', 'slirp4netns'] as const;

/** Variables that name a runtime's binary directly (the extension's `runtimePaths.*` settings). */
export const BINARY_ENV: Record<string, string> = {
  runc: 'SPECTRUM_RUNC',
  runsc: 'SPECTRUM_RUNSC',
  'qemu-system-x86_64': 'SPECTRUM_QEMU',
  firecracker: 'SPECTRUM_FIRECRACKER',
  workerd: 'SPECTRUM_WORKERD',
};

/** The binaries whose facts (version, flags) a launch at each level needs probed. */
export const PROBES_FOR: Record<Isolation, string[]> = {
  isolate: ['workerd'],
  container: ['runc'],
  gvisor: ['runsc'],
  microvm: ['firecracker', 'qemu-system-x86_64'],
  vm: ['qemu-system-x86_64'],
};

function executable(p: string): boolean {
  try {
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export function which(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const dirs = [...(env.PATH ?? '').split(':'), '/usr/local/sbin', '/usr/sbin', '/sbin'];
  for (const d of dirs) {
    if (!d) continue;
    const p = path.join(d, name);
    if (executable(p)) return p;
  }
  return undefined;
}

/**
 * The binary `name` resolves to in `env`. A configured path wins; one that is not an absolute
 * path to an executable is not used (and the PATH lookup is not silently taken instead: the user
 * asked for that binary).
 */
export function resolveBinary(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const configured = BINARY_ENV[name] ? env[BINARY_ENV[name]] : undefined;
  if (configured) return path.isAbsolute(configured) && executable(configured) ? configured : undefined;
  return name === 'workerd' ? findWorkerd(env) : which(name, env);
}
