// What every command factory gets, and the helpers they share: resolving which sandbox an
// argument means (view item, code lens `{uri, name}`, id, or a pick), trust, and error reporting.
import * as vscode from 'vscode';
import type { Engine, SandboxInfo } from '../../engine/api';
import type { SandboxCommandArgs } from '../../language-server/protocol';
import type { SpectrumConfig } from '../config';
import type { SandboxesModel } from '../sandboxes';
import type { InspectPanels } from '../views/inspectPanel';
import type { MoreViews } from '../views/moreViews';
import type { Node } from '../views/sandboxesTree';

export interface CommandDeps {
  context: vscode.ExtensionContext;
  engine: Engine;
  model: SandboxesModel;
  output: vscode.LogOutputChannel;
  inspectPanels: InspectPanels;
  /** Images, Snapshots and Cluster views, for commands that change what they show. */
  views: MoreViews;
  /** Owner recorded on launches: this window, or `cli` when the user keeps them past the window. */
  owner(): string;
  config(): SpectrumConfig;
  /** Environment for processes the extension starts itself (terminals running the CLI). */
  env(): NodeJS.ProcessEnv;
}

export type CommandFactory = (deps: CommandDeps) => (...args: unknown[]) => unknown;

function isLensArgs(a: unknown): a is SandboxCommandArgs {
  return typeof a === 'object' && a !== null && typeof (a as SandboxCommandArgs).uri === 'string' && typeof (a as SandboxCommandArgs).name === 'string';
}

/** The sandbox a command argument names; asks with a quick pick when it names none. */
export async function resolveSandbox(deps: CommandDeps, arg: unknown, filter: (s: SandboxInfo) => boolean = () => true): Promise<SandboxInfo | undefined> {
  await deps.model.refresh();
  if (typeof arg === 'string') return deps.model.find(arg) ?? (await deps.engine.inspect(arg));
  if (typeof arg === 'object' && arg !== null && (arg as Node).kind === 'sandbox') return (arg as Extract<Node, { kind: 'sandbox' }>).sandbox;
  if (isLensArgs(arg)) {
    const file = vscode.Uri.parse(arg.uri).fsPath;
    return deps.model.running.find((s) => s.name === arg.name && s.specPath === file) ?? deps.model.running.find((s) => s.name === arg.name);
  }
  const candidates = deps.model.all.filter(filter);
  if (candidates.length === 0) {
    void vscode.window.showInformationMessage('No sandbox to choose from. Launch one with "Isolation Spectrum: Launch Sandbox...".');
    return undefined;
  }
  const pick = await vscode.window.showQuickPick(
    candidates.map((s) => ({ label: s.name, description: `${s.isolation} · ${s.state}`, detail: s.id, sandbox: s })),
    { placeHolder: 'Choose a sandbox' },
  );
  return pick?.sandbox;
}

/** Launching runs programs the workspace names: never in an untrusted workspace. */
export function requireTrust(): boolean {
  if (vscode.workspace.isTrusted) return true;
  void vscode.window.showErrorMessage('Isolation Spectrum launches nothing in an untrusted workspace. Trust this workspace to launch sandboxes.', 'Manage Workspace Trust').then((a) => {
    if (a) void vscode.commands.executeCommand('workbench.trust.manage');
  });
  return false;
}

/** Shows an engine failure with its fix (EngineError carries one when the engine knows it). */
export async function reportError(deps: CommandDeps, what: string, e: unknown): Promise<void> {
  const message = e instanceof Error ? e.message : String(e);
  const fix = typeof e === 'object' && e !== null && typeof (e as { fix?: unknown }).fix === 'string' ? (e as { fix: string }).fix : undefined;
  deps.output.error(`${what}: ${message}${fix ? `\nfix: ${fix}` : ''}`);
  const actions = fix ? ['Copy Fix', 'Show Host Capabilities'] : ['Show Output'];
  const choice = await vscode.window.showErrorMessage(`${what}: ${message}${fix ? ` Fix: ${fix}` : ''}`, ...actions);
  if (choice === 'Copy Fix' && fix) await vscode.env.clipboard.writeText(fix);
  if (choice === 'Show Host Capabilities') await vscode.commands.executeCommand('isolationSpectrum.showCapabilities');
  if (choice === 'Show Output') deps.output.show();
}
