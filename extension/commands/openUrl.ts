// `isolationSpectrum.openUrl`: an isolate's URL, through env.asExternalUri so it also works
// when VS Code runs remotely (code-server, SSH, containers).
import * as vscode from 'vscode';
import { reportError, resolveSandbox, type CommandFactory } from './deps';

export const openUrl: CommandFactory = (deps) => async (arg?: unknown) => {
  try {
    const s = await resolveSandbox(deps, arg, (x) => !!x.url);
    if (!s?.url) return undefined;
    const external = await vscode.env.asExternalUri(vscode.Uri.parse(s.url));
    await vscode.env.openExternal(external);
    return external.toString();
  } catch (e) {
    await reportError(deps, 'Opening the URL failed', e);
    return undefined;
  }
};
