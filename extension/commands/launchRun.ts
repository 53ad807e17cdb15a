// One launch with a cancellable progress notification; the shared path of every launch command.
import * as vscode from 'vscode';
import type { SandboxInfo } from '../../engine/api';
import { reportError, requireTrust, type CommandDeps } from './deps';
import { confirmPrivileges, privilegesOf } from './confirmPrivileges';

export async function launchWithProgress(deps: CommandDeps, target: string, label: string, name?: string, unsafe = false): Promise<SandboxInfo[] | undefined> {
  if (!requireTrust()) return undefined;
  try {
    const launched = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Launching ${label}`, cancellable: true },
      async (_progress, token) => {
        const abort = new AbortController();
        token.onCancellationRequested(() => abort.abort());
        return deps.engine.up(target, {
          name,
          unsafe,
          owner: deps.owner(),
          signal: abort.signal,
          onOutput: (chunk) => deps.output.info(chunk.trimEnd()),
        });
      },
    );
    await deps.model.refresh();
    const names = launched.map((s) => `${s.name} (${s.isolation}, ${s.id})`).join(', ');
    deps.output.info(`launched ${names}`);
    const urls = launched.filter((s) => s.url);
    const msg = `Launched ${names}`;
    if (urls.length) {
      void vscode.window.showInformationMessage(msg, 'Open URL').then((a) => a && vscode.commands.executeCommand('isolationSpectrum.openUrl', urls[0].id));
    } else {
      void vscode.window.showInformationMessage(msg);
    }
    return launched;
  } catch (e) {
    // Refused for privileges nobody confirmed yet: name each one, launch again only on a yes.
    const privileges = unsafe ? undefined : privilegesOf(e);
    if (privileges) {
      if (await confirmPrivileges(label, privileges)) return launchWithProgress(deps, target, label, name, true);
      deps.output.info(`not launched: ${label} asks for ${privileges.join('; ')}`);
      return undefined;
    }
    await reportError(deps, `Launching ${label} failed`, e);
    return undefined;
  }
}
