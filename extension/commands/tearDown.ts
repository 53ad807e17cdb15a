// `isolationSpectrum.tearDown` and `isolationSpectrum.tearDownAll`.
import * as vscode from 'vscode';
import { reportError, resolveSandbox, type CommandFactory } from './deps';

export const tearDown: CommandFactory = (deps) => async (arg?: unknown) => {
  try {
    const s = await resolveSandbox(deps, arg);
    if (!s) return [];
    const ids = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Tearing down ${s.name}` }, () => deps.engine.down(s.id));
    await deps.model.refresh();
    deps.output.info(`tore down ${ids.join(', ')}`);
    return ids;
  } catch (e) {
    await reportError(deps, 'Tear down failed', e);
    return [];
  }
};

export const tearDownAll: CommandFactory = (deps) => async () => {
  try {
    const ids = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Tearing down every sandbox' }, () => deps.engine.downAll());
    await deps.model.refresh();
    deps.output.info(`tore down ${ids.length ? ids.join(', ') : 'nothing'}`);
    void vscode.window.showInformationMessage(ids.length ? `Tore down ${ids.length} sandbox${ids.length === 1 ? '' : 'es'}.` : 'No sandbox was running.');
    return ids;
  } catch (e) {
    await reportError(deps, 'Tear down all failed', e);
    return [];
  }
};
