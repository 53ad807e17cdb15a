// `isolationSpectrum.compareAcrossSpectrum`: runs the spec's workload (the clicked code lens's
// sandbox, or one picked from the active spec) at every level this host supports, with progress
// and cancel, shows the chart, and saves the figures as JSON beside the spec on request.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { CompareResult, SandboxSpec } from '../../engine/api';
import type { CommandFactory, CommandDeps } from './deps';
import { reportError, requireTrust } from './deps';
import { showComparePanel } from '../views/comparePanel';
import { resultsFile } from './compareResultsFile';

function readPrevious(deps: CommandDeps, key: string, file: string): CompareResult | undefined {
  const kept = deps.context.workspaceState.get<CompareResult>(key);
  if (kept) return kept;
  try {
    return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as CompareResult) : undefined;
  } catch {
    return undefined; // An unreadable old file only loses the faded bars.
  }
}

async function pickSpec(deps: CommandDeps, arg: unknown): Promise<SandboxSpec | undefined> {
  const lens = typeof arg === 'object' && arg !== null && typeof (arg as { uri?: unknown }).uri === 'string' ? (arg as { uri: string; name?: string }) : undefined;
  const uri = lens ? vscode.Uri.parse(lens.uri) : arg instanceof vscode.Uri ? arg : vscode.window.activeTextEditor?.document.uri;
  if (!uri || uri.scheme !== 'file') {
    void vscode.window.showErrorMessage('Open a sandbox spec (*.sandbox.yaml) first.');
    return undefined;
  }
  const editor = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === uri.toString());
  if (editor?.document.isDirty) await editor.document.save();
  const specs = await deps.engine.specs(uri.fsPath, lens?.name ? { name: lens.name } : {});
  if (specs.length <= 1) return specs[0];
  const pick = await vscode.window.showQuickPick(
    specs.map((s) => ({ label: s.name, description: s.isolation, spec: s })),
    { placeHolder: 'Which sandbox to compare across the spectrum?' },
  );
  return pick?.spec;
}

export const compareAcrossSpectrum: CommandFactory = (deps) => async (arg?: unknown) => {
  if (!requireTrust()) return undefined;
  let spec: SandboxSpec | undefined;
  try {
    spec = await pickSpec(deps, arg);
  } catch (e) {
    await reportError(deps, 'Compare Across Spectrum', e);
    return undefined;
  }
  if (!spec) return undefined;
  const chosen = spec;
  const key = `compare:${chosen.source.file}#${chosen.name}`;
  const file = resultsFile(chosen.source.file, chosen.name);
  const previous = readPrevious(deps, key, file);
  let result: CompareResult;
  try {
    result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Comparing ${chosen.name} across the spectrum`, cancellable: true },
      async (progress, token) => {
        const ac = new AbortController();
        token.onCancellationRequested(() => ac.abort());
        return deps.engine.compare(chosen, {
          signal: ac.signal,
          onProgress: (p) => {
            if (p.phase === 'start') progress.report({ message: `${p.level} (${p.index + 1}/${p.total})`, increment: 100 / p.total });
          },
        });
      },
    );
  } catch (e) {
    await reportError(deps, 'Compare Across Spectrum', e);
    return undefined;
  }
  await deps.context.workspaceState.update(key, result);
  showComparePanel(key, result, previous);
  void vscode.window.showInformationMessage(`Compared ${chosen.name} at ${result.levels.filter((l) => !l.skipped).length} levels.`, 'Save as JSON').then((a) => {
    if (a) {
      writeFileSync(file, JSON.stringify(result, null, 2) + '\n');
      void vscode.window.showInformationMessage(`Saved ${path.basename(file)} beside the spec.`);
    }
  });
  return result;
};
