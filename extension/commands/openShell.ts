// `isolationSpectrum.openShell`: a terminal whose process is the runtime's exec into a running
// container or gVisor sandbox (through the CLI's `exec`, so it goes through the engine); for a
// microVM or VM, a terminal following its serial console.
import * as vscode from 'vscode';
import { reportError, resolveSandbox, type CommandFactory } from './deps';

export const openShell: CommandFactory = (deps) => async (arg?: unknown) => {
  try {
    const s = await resolveSandbox(deps, arg, (x) => x.state === 'running' && x.isolation !== 'isolate');
    if (!s) return undefined;
    if (s.isolation === 'isolate') {
      void vscode.window.showErrorMessage(`${s.name} is a V8 isolate: it runs no processes, so it has no shell. Open its URL instead.`);
      return undefined;
    }
    if (s.state !== 'running') {
      void vscode.window.showErrorMessage(`${s.name} is ${s.state}, not running.`);
      return undefined;
    }
    const cli = deps.context.asAbsolutePath('dist/cli.js');
    // A VM has no exec: its terminal follows the serial console (read-only for now).
    const vm = s.isolation === 'microvm' || s.isolation === 'vm';
    const terminal = vscode.window.createTerminal({
      name: `${vm ? 'Console' : 'Shell'}: ${s.name}`,
      // The extension host's own executable runs the CLI as plain Node (Electron needs the flag).
      shellPath: process.execPath,
      // --tty: the terminal's pty becomes the shell's, so job control and line editing work.
      shellArgs: vm ? [cli, 'logs', '-f', s.id] : [cli, 'exec', '--tty', s.id, '--', '/bin/sh', '-i'],
      env: { ...deps.env(), ELECTRON_RUN_AS_NODE: '1' } as Record<string, string>,
      iconPath: new vscode.ThemeIcon('terminal'),
    });
    terminal.show();
    return terminal;
  } catch (e) {
    await reportError(deps, 'Open Shell failed', e);
    return undefined;
  }
};
