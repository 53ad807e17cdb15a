// `isolationSpectrum.openShell`: a terminal whose process is `spectrum exec --tty` into a running
// sandbox (through the CLI, so it goes through the engine): the runtime's exec for a container or
// gVisor sandbox, the guest agent for a microVM or VM. A VM without an agent (an old kernel, no
// agent built) gets a terminal following its serial console instead.
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
    // A VM's exec goes through its guest agent; without one, the terminal follows the serial console (read-only).
    const isVm = s.isolation === 'microvm' || s.isolation === 'vm';
    const consoleOnly = isVm && typeof (await deps.engine.inspect(s.id)).extra?.agentSocket !== 'string';
    const terminal = vscode.window.createTerminal({
      name: `${consoleOnly ? 'Console' : 'Shell'}: ${s.name}`,
      // The extension host's own executable runs the CLI as plain Node (Electron needs the flag).
      shellPath: process.execPath,
      // --tty: the terminal's pty becomes the shell's, so job control and line editing work.
      shellArgs: consoleOnly ? [cli, 'logs', '-f', s.id] : [cli, 'exec', '--tty', s.id, '--', '/bin/sh', '-i'],
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
