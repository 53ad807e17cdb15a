// The extension's settings, read through one typed object with explicit defaults, and the
// environment they give the engine. Runtime paths, the state directory and the kernel path are
// machine-scoped (package.json), so a workspace can't point them at its own binaries.
import * as vscode from 'vscode';
import { ISOLATION_LEVELS, type Isolation } from '../engine/spec/types';

export const SECTION = 'isolationSpectrum';

export interface RuntimePaths {
  workerd: string;
  runc: string;
  runsc: string;
  qemu: string;
  firecracker: string;
}

export interface SpectrumConfig {
  /** Empty: found on PATH (workerd: the copy shipped in the extension). */
  runtimePaths: RuntimePaths;
  defaultIsolation: Isolation;
  /** Base of the engine's state (like XDG_STATE_HOME); empty: $XDG_STATE_HOME or ~/.local/state. */
  stateDirectory: string;
  /** Guest kernel for microvm/vm specs with `kernel: auto`; empty: the engine finds one. */
  kernelPath: string;
  /** Tear down this window's sandboxes when it closes. */
  tearDownOnClose: boolean;
}

export const DEFAULTS: SpectrumConfig = {
  runtimePaths: { workerd: '', runc: '', runsc: '', qemu: '', firecracker: '' },
  defaultIsolation: 'container',
  stateDirectory: '',
  kernelPath: '',
  tearDownOnClose: true,
};

/**
 * A setting only the user may change: a cloned repository's workspace settings must not keep
 * sandboxes alive after its window closes. The manifest scopes it to the machine; this reads the
 * user's own value even where an older host would still merge in a workspace one.
 */
function userOnly(c: vscode.WorkspaceConfiguration, key: string, fallback: boolean): boolean {
  const v = c.inspect<unknown>(key)?.globalValue;
  return typeof v === 'boolean' ? v : fallback;
}

export function readConfig(scope?: vscode.ConfigurationScope): SpectrumConfig {
  const c = vscode.workspace.getConfiguration(SECTION, scope);
  const str = (key: string, fallback: string) => {
    const v = c.get<unknown>(key);
    return typeof v === 'string' ? v.trim() : fallback;
  };
  const rp = DEFAULTS.runtimePaths;
  const level = str('defaultIsolation', DEFAULTS.defaultIsolation);
  return {
    runtimePaths: {
      workerd: str('runtimePaths.workerd', rp.workerd),
      runc: str('runtimePaths.runc', rp.runc),
      runsc: str('runtimePaths.runsc', rp.runsc),
      qemu: str('runtimePaths.qemu', rp.qemu),
      firecracker: str('runtimePaths.firecracker', rp.firecracker),
    },
    defaultIsolation: (ISOLATION_LEVELS as readonly string[]).includes(level) ? (level as Isolation) : DEFAULTS.defaultIsolation,
    stateDirectory: str('stateDirectory', DEFAULTS.stateDirectory),
    kernelPath: str('kernelPath', DEFAULTS.kernelPath),
    tearDownOnClose: userOnly(c, 'tearDownOnClose', DEFAULTS.tearDownOnClose),
  };
}
