// `isolationSpectrum.focusView` (the status bar item) and `isolationSpectrum.refresh`.
import * as vscode from 'vscode';
import type { CommandFactory } from './deps';

export const focusView: CommandFactory = () => () => vscode.commands.executeCommand('isolationSpectrum.sandboxes.focus');

export const refresh: CommandFactory = (deps) => () => deps.model.refresh();

/** For tests and other extensions: the sandboxes this window knows, as plain data. */
export const list: CommandFactory = (deps) => async () => {
  await deps.model.refresh();
  return deps.model.all.map((s) => ({ ...s }));
};
