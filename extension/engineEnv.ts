// The environment the engine (and terminals running the CLI) get from the settings. Pure: no
// vscode import, unit-tested.
import * as path from 'node:path';
import type { SpectrumConfig } from './config';

/**
 * The engine's environment: each configured runtime through its own variable (SPECTRUM_RUNC...,
 * which the engine's host probe takes before any PATH lookup, so a binary with another name works
 * too) and its folder first on PATH (for what the runtimes themselves look up), the kernel through
 * its variable, the state base as XDG_STATE_HOME. Relative paths are ignored: they would resolve
 * against whatever folder the extension host runs in.
 */
export function engineEnv(config: SpectrumConfig, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base };
  const dirs = [config.runtimePaths.runc, config.runtimePaths.runsc, config.runtimePaths.qemu, config.runtimePaths.firecracker]
    .filter((p) => p && path.isAbsolute(p))
    .map((p) => path.dirname(p));
  if (dirs.length) env.PATH = [...new Set(dirs), env.PATH ?? ''].join(path.delimiter);
  const byVariable: [string, string][] = [
    ['SPECTRUM_RUNC', config.runtimePaths.runc],
    ['SPECTRUM_RUNSC', config.runtimePaths.runsc],
    ['SPECTRUM_QEMU', config.runtimePaths.qemu],
    ['SPECTRUM_FIRECRACKER', config.runtimePaths.firecracker],
  ];
  for (const [name, p] of byVariable) if (p && path.isAbsolute(p)) env[name] = p;
  if (config.runtimePaths.workerd) env.SPECTRUM_WORKERD = config.runtimePaths.workerd;
  if (config.kernelPath) env.SPECTRUM_KERNEL = config.kernelPath;
  if (config.stateDirectory) env.XDG_STATE_HOME = config.stateDirectory;
  return env;
}
