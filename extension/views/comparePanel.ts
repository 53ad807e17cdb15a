// The Compare Across Spectrum webview: one panel per spec, re-used by the next run, which shows
// the run before it faded beside its bars.
import * as vscode from 'vscode';
import type { CompareResult } from '../../engine/api';
import { renderCompare } from './compareHtml';

const panels = new Map<string, vscode.WebviewPanel>();

export function showComparePanel(key: string, current: CompareResult, previous?: CompareResult): void {
  let panel = panels.get(key);
  if (!panel) {
    panel = vscode.window.createWebviewPanel('isolationSpectrum.compare', `Compare: ${current.spec.name}`, vscode.ViewColumn.Beside, { enableScripts: false });
    panels.set(key, panel);
    panel.onDidDispose(() => panels.delete(key));
  } else panel.reveal();
  panel.webview.html = renderCompare(current, previous);
}
