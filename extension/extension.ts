// Extension entry: wires the language client, the engine, the Sandboxes view, the status bar and
// the commands. Thin: sandbox work goes through the engine's API, language work to the server.
import type MarkdownIt from 'markdown-it';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { createEngine, type Engine, type SandboxInfo } from '../engine/api';
import { ConceptIndexNotification, RunningSandboxesNotification, type RunningSandboxInfo } from '../language-server/protocol';
import { createLanguageClient } from './client';
import { registerCommands } from './commands/index';
import { copyInto } from './commands/copyFiles';
import type { CommandDeps } from './commands/deps';
import { registerAgentTools } from './agent/lmTools';
import { registerRunBlock } from './commands/runBlock';
import { readConfig, SECTION } from './config';
import { engineEnv } from './engineEnv';
import { createNotesPreview } from './preview/index';
import { SandboxesModel } from './sandboxes';
import { InspectPanels } from './views/inspectPanel';
import { SandboxesTree } from './views/sandboxesTree';
import { createMoreViews } from './views/moreViews';
import { SandboxDrop } from './views/sandboxDrop';
import { createStatusBar } from './views/statusBar';

let client: LanguageClient | undefined;
let engine: Engine | undefined;
let owner = '';

export async function activate(context: vscode.ExtensionContext): Promise<{ extendMarkdownIt(md: MarkdownIt): MarkdownIt }> {
  const output = vscode.window.createOutputChannel('Isolation Spectrum', { log: true });
  context.subscriptions.push(output);

  // This window owns what it launches: the engine's monitors watch this process and tear its
  // sandboxes down when it goes away (code-server skips deactivate()).
  const windowOwner = `window:${process.pid}`;
  const config = () => readConfig();
  const env = () => engineEnv(config());
  owner = config().tearDownOnClose ? windowOwner : 'cli';
  engine = createEngine({ env: env(), owner, prewarm: vscode.workspace.isTrusted });
  const eng = engine;
  context.subscriptions.push({ dispose: () => eng.dispose() });

  const model = new SandboxesModel(eng, output);
  const inspectPanels = new InspectPanels(eng);
  const tree = new SandboxesTree(model);
  // Files dropped on a sandbox are copied in; the copy needs the command deps, built below.
  let dropInto: (s: SandboxInfo, paths: string[]) => Promise<unknown> = async () => undefined;
  const dragAndDropController = new SandboxDrop((s, paths) => dropInto(s, paths));
  const view = vscode.window.createTreeView('isolationSpectrum.sandboxes', { treeDataProvider: tree, showCollapseAll: false, dragAndDropController });
  context.subscriptions.push(model, inspectPanels, tree, view, createStatusBar(model));
  const more = createMoreViews(eng, model, output);
  context.subscriptions.push(...more.disposables);
  const updateContext = () => void vscode.commands.executeCommand('setContext', 'isolationSpectrum.hasSandboxes', model.all.length > 0);
  model.onDidChange(updateContext);

  const deps: CommandDeps = {
    context,
    engine: eng,
    model,
    output,
    inspectPanels,
    views: more.views,
    owner: () => (readConfig().tearDownOnClose ? windowOwner : 'cli'),
    config,
    env,
  };
  dropInto = (s, paths) => copyInto(deps, s, paths);
  context.subscriptions.push(...registerCommands(deps));
  context.subscriptions.push(registerRunBlock(context, eng, { owner, output }));
  context.subscriptions.push(...registerAgentTools(context, eng, output));
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (['runtimePaths', 'stateDirectory', 'kernelPath'].some((k) => e.affectsConfiguration(`${SECTION}.${k}`))) {
        void vscode.window.showInformationMessage('Isolation Spectrum: reload the window to use the new runtime settings.', 'Reload Window').then((a) => {
          if (a) void vscode.commands.executeCommand('workbench.action.reloadWindow');
        });
      }
    }),
  );

  const preview = createNotesPreview(context);
  client = createLanguageClient(context, output);
  context.subscriptions.push(client);
  // The server's code lenses (Inspect / Tear Down) follow the running set.
  const sendRunning = () => {
    const sandboxes: RunningSandboxInfo[] = model.running.map((s) => ({
      id: s.id,
      name: s.name,
      isolation: s.isolation,
      specUri: s.specPath ? vscode.Uri.file(s.specPath).toString() : undefined,
    }));
    void client?.sendNotification(RunningSandboxesNotification, { sandboxes }).catch(() => undefined);
  };
  model.onDidChange(sendRunning);
  try {
    await client.start();
    client.onNotification(ConceptIndexNotification, (params) => preview.index.apply(params));
  } catch (e) {
    output.error(`the language server did not start: ${e instanceof Error ? e.message : String(e)}`);
  }
  void model.refresh().then(updateContext);

  return { extendMarkdownIt: (md) => preview.extendMarkdownIt(md) };
}

export async function deactivate(): Promise<void> {
  // Best effort: code-server may kill the host without calling this; the monitors cover that.
  if (engine && owner.startsWith('window:')) await engine.downAll({ owner }).catch(() => undefined);
  engine?.dispose();
  await client?.stop().catch(() => undefined);
}
