// `isolationSpectrum.launchFile`: the active (or clicked) spec, Firecracker config, or OCI
// bundle (a `config.json` launches its folder).
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { CommandFactory } from './deps';
import { launchWithProgress } from './launchRun';

export const launchFile: CommandFactory = (deps) => async (arg?: unknown) => {
  const uri = arg instanceof vscode.Uri ? arg : vscode.window.activeTextEditor?.document.uri;
  if (!uri || uri.scheme !== 'file') {
    void vscode.window.showErrorMessage('Open a sandbox spec (*.sandbox.yaml), a Firecracker config or an OCI bundle config.json first.');
    return undefined;
  }
  const editor = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === uri.toString());
  if (editor?.document.isDirty) await editor.document.save();
  const file = uri.fsPath;
  const target = path.basename(file) === 'config.json' ? path.dirname(file) : file;
  return launchWithProgress(deps, target, path.basename(target));
};
