// `isolationSpectrum.runBlock`: runs a live note block (from the "Run in <level>" and "Run across
// the spectrum" code lenses) through the engine and shows output, exit code and time.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import type { DoctorReport, Engine } from '../../engine/api';
import type { Isolation } from '../../engine/spec/types';
import { RUN_BLOCK_COMMAND, type RunBlockArgs } from '../../language-server/protocol';
import { blockSpec, formatRun, inlineSummary, planLevels, workerModule } from './runBlockPlan';

export interface RunBlockOptions {
  /** Owner recorded for the sandboxes (`window:<id>`), so a closed window's runs are torn down. */
  owner?: string;
  /** Where results go; one is created when absent. */
  output?: vscode.OutputChannel;
}

const DOCTOR_TTL_MS = 60_000;
const INLINE_CHARS = 120;

/** Results shown at the end of a block's fence line, per document, until the document is edited. */
function inlineResults(context: vscode.ExtensionContext): (uri: string, line: number, text: string) => void {
  const decoration = vscode.window.createTextEditorDecorationType({
    after: { margin: '0 0 0 2em', color: new vscode.ThemeColor('editorCodeLens.foreground'), fontStyle: 'italic' },
  });
  const results = new Map<string, Map<number, string>>();
  const paint = (editor: vscode.TextEditor): void => {
    const lines = results.get(editor.document.uri.toString());
    const options: vscode.DecorationOptions[] = [];
    for (const [line, text] of lines ?? []) {
      if (line >= editor.document.lineCount) continue;
      const end = editor.document.lineAt(line).range.end;
      options.push({ range: new vscode.Range(end, end), renderOptions: { after: { contentText: text } } });
    }
    editor.setDecorations(decoration, options);
  };
  context.subscriptions.push(
    decoration,
    vscode.window.onDidChangeVisibleTextEditors((editors) => editors.forEach(paint)),
    vscode.workspace.onDidChangeTextDocument((e) => {
      // Lines may have moved: drop the document's results rather than show them on the wrong block.
      if (e.contentChanges.length && results.delete(e.document.uri.toString())) vscode.window.visibleTextEditors.forEach(paint);
    }),
  );
  return (uri, line, text) => {
    let lines = results.get(uri);
    if (!lines) results.set(uri, (lines = new Map()));
    lines.set(line, text.length > INLINE_CHARS ? `${text.slice(0, INLINE_CHARS)}…` : text);
    for (const editor of vscode.window.visibleTextEditors) if (editor.document.uri.toString() === uri) paint(editor);
  };
}

export function registerRunBlock(
  context: vscode.ExtensionContext,
  engine: Pick<Engine, 'run' | 'doctor'>,
  options: RunBlockOptions = {},
): vscode.Disposable {
  const output = options.output ?? vscode.window.createOutputChannel('Isolation Spectrum: Note Blocks');
  if (!options.output) context.subscriptions.push(output);
  const showInline = inlineResults(context);
  let doctor: { at: number; report: Promise<DoctorReport> } | undefined;
  const hostReport = (): Promise<DoctorReport> => {
    if (!doctor || Date.now() - doctor.at > DOCTOR_TTL_MS) doctor = { at: Date.now(), report: engine.doctor() };
    return doctor.report;
  };

  const command = vscode.commands.registerCommand(RUN_BLOCK_COMMAND, async (args: RunBlockArgs) => {
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showWarningMessage('Isolation Spectrum runs note blocks only in a trusted workspace.');
      return;
    }
    if (!args || typeof args.code !== 'string') return;
    const sourceFile = vscode.Uri.parse(args.uri).fsPath;
    const where = `${path.basename(sourceFile)}:${args.line + 1}`;
    output.show(true);
    output.appendLine(`▶ ${where} (${args.language})`);
    let report: DoctorReport | undefined;
    try {
      report = await hostReport();
    } catch (err) {
      output.appendLine(`(host check failed, trying anyway: ${(err as Error).message})`);
    }
    const plan = planLevels(args, report);
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Running ${where}`, cancellable: true },
      async (progress, token) => {
        const abort = new AbortController();
        token.onCancellationRequested(() => abort.abort());
        const summary: string[] = [];
        for (const step of plan) {
          if (step.skip) {
            output.appendLine(`── ${step.level}: skipped, ${step.skip}`);
            if (args.levels !== 'all') summary.push(`${step.level}: skipped`);
            continue;
          }
          if (abort.signal.aborted) break;
          progress.report({ message: step.level });
          summary.push(await runOne(args, step.level as Isolation, sourceFile, abort.signal));
          showInline(args.uri, args.line, `⟶ ${summary.join(' · ')}`);
        }
      },
    );
  });

  /** Runs the block at one level; returns a one-line summary for the inline result. */
  async function runOne(args: RunBlockArgs, level: Isolation, sourceFile: string, signal: AbortSignal): Promise<string> {
    let dir: string | undefined;
    try {
      let workerPath: string | undefined;
      if (level === 'isolate') {
        dir = await mkdtemp(path.join(os.tmpdir(), 'spectrum-block-'));
        workerPath = path.join(dir, 'block.mjs');
        await writeFile(workerPath, workerModule(args.code));
      }
      const spec = blockSpec(args, level, { sourceFile, workerPath });
      const result = await engine.run(spec, { owner: options.owner, signal });
      output.append(formatRun(level, result));
      return inlineSummary(level, result);
    } catch (err) {
      output.appendLine(`── ${level}: failed, ${(err as Error).message}`);
      return `${level}: failed`;
    } finally {
      if (dir) await rm(dir, { recursive: true, force: true });
    }
  }

  context.subscriptions.push(command);
  return command;
}
