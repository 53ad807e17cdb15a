// `isolationSpectrum.showLogs`: a sandbox's output in its own output channel, followed live
// until the sandbox ends or the channel is closed.
import * as vscode from 'vscode';
import { reportError, resolveSandbox, type CommandFactory } from './deps';

const following = new Map<string, { channel: vscode.OutputChannel; abort: AbortController }>();

export const showLogs: CommandFactory = (deps) => async (arg?: unknown) => {
  try {
    const s = await resolveSandbox(deps, arg);
    if (!s) return;
    const existing = following.get(s.id);
    if (existing) {
      existing.channel.show(true);
      return;
    }
    const channel = vscode.window.createOutputChannel(`Sandbox ${s.name} (${s.id})`);
    const abort = new AbortController();
    following.set(s.id, { channel, abort });
    deps.context.subscriptions.push({ dispose: () => { abort.abort(); channel.dispose(); } });
    channel.show(true);
    const live = s.state === 'running' || s.state === 'starting';
    void deps.engine
      .logs(s.id, { follow: live, signal: abort.signal, onChunk: (chunk) => channel.append(chunk) })
      .then((all) => {
        // Without follow the engine returns the text instead of streaming it.
        if (!live) channel.append(all);
      })
      .catch((e) => {
        if (!abort.signal.aborted) channel.appendLine(`[logs ended: ${e instanceof Error ? e.message : String(e)}]`);
      })
      .finally(() => following.delete(s.id));
  } catch (e) {
    await reportError(deps, 'Show Logs failed', e);
  }
};
