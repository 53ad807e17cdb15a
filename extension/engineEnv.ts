// The environment the engine (and terminals running the CLI) get from the settings. Pure: no
// vscode import, unit-tested.
import * as path from 'node:path';
import type { SpectrumConfig } from './config';

/**
 * The engine's environment: configured runtimes go first on PATH (the engine looks runtimes up
 * by name), workerd and the kernel through their variables, the state base as XDG_STATE_HOME.
 */
export function engineEnv(config: SpectrumConfig, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base };
  const dirs = [config.runtimePaths.runc, config.runtimePaths.runsc, config.runtimePaths.qemu, config.runtimePaths.firecracker]
    .filter((p) => p && path.isAbsolute(p))
    .map((p) => path.dirname(p));
  if (dirs.length) env.PATH = [...new Set(dirs), env.PATH ?? ''].join(path.delimiter);
  if (config.runtimePaths.workerd) env.SPECTRUM_WORKERD = config.runtimePaths.workerd;
  if (config.kernelPath) env.SPECTRUM_KERNEL = config.kernelPath;
  if (config.stateDirectory) env.XDG_STATE_HOME = config.stateDirectory;
  return env;
}
