// A status bar item counting running sandboxes; clicking it focuses the Sandboxes view.
import * as vscode from 'vscode';
import type { SandboxesModel } from '../sandboxes';

export function createStatusBar(model: SandboxesModel): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('isolationSpectrum.running', vscode.StatusBarAlignment.Left, 10);
  item.name = 'Isolation Spectrum: running sandboxes';
  item.command = 'isolationSpectrum.focusView';
  const render = () => {
    const n = model.running.length;
    item.text = `$(server-process) ${n}`;
    item.tooltip = n === 1 ? '1 sandbox running' : `${n} sandboxes running`;
    item.accessibilityInformation = { label: item.tooltip };
    item.show();
  };
  render();
  const sub = model.onDidChange(render);
  return vscode.Disposable.from(item, sub);
}
