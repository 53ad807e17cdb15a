// `isolationSpectrum.showCapabilities`: the engine's doctor report as a readable Markdown
// document; each level this host can't run comes with the command that fixes it.
import * as vscode from 'vscode';
import { renderDoctor } from './doctorMarkdown';
import { reportError, type CommandFactory } from './deps';

export const showCapabilities: CommandFactory = (deps) => async () => {
  try {
    const report = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Probing host capabilities' }, () => deps.engine.doctor());
    const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: renderDoctor(report) });
    await vscode.window.showTextDocument(doc, { preview: true });
    return report;
  } catch (e) {
    await reportError(deps, 'Probing host capabilities failed', e);
    return undefined;
  }
};
