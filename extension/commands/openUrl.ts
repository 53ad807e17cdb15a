// `isolationSpectrum.openUrl` (Open in Browser): an isolate's URL or a published TCP port's,
// through env.asExternalUri so it also works when VS Code runs remotely (code-server, SSH,
// containers), where the sandbox's 127.0.0.1 is not the browser's.
import * as vscode from 'vscode';
import { reportError, resolveSandbox, type CommandFactory } from './deps';
import { browserUrl, portArgUrl } from '../views/portLinks';

export const openUrl: CommandFactory = (deps) => async (arg?: unknown) => {
  try {
    let url = portArgUrl(arg);
    if (!url) {
      const s = await resolveSandbox(deps, arg, (x) => !!browserUrl(x));
      url = s && browserUrl(s);
    }
    if (!url) return undefined;
    const external = await vscode.env.asExternalUri(vscode.Uri.parse(url));
    await vscode.env.openExternal(external);
    return external.toString();
  } catch (e) {
    await reportError(deps, 'Opening the URL failed', e);
    return undefined;
  }
};
